#include "models/systolic/sa_accelerator.h"

#include "models/systolic/dap_unit_block.h"
#include "models/systolic/im2col_unit_block.h"
#include "models/systolic/sa_array_block.h"
#include "models/systolic/sa_cost.h"
#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_timing.h"
#include "sim/common/run_simulation.h"
#include "sim/cosim/make_block.h"

namespace npusim::systolic {

namespace {
constexpr uint64_t kQuantumCycles = 4096;  // SystemC time is synchronised at least this often
}

SaAccelerator::SaAccelerator(sc_core::sc_module_name name, const ArchConfig& arch,
                             std::unique_ptr<SaArrayIf> array, std::unique_ptr<Im2colUnitIf> unit,
                             std::unique_ptr<DapUnitIf> dap, uint64_t (*lockstep_counter)(const SaArrayIf&))
    : sc_core::sc_module(name),
      arch_(arch),
      array_(std::move(array)),
      unit_(std::move(unit)),
      dap_(std::move(dap)),
      engine_(arch_, *array_, unit_.get(), dap_.get()),
      lockstep_counter_(lockstep_counter),
      period_(1e3 / arch.clock_mhz, sc_core::SC_NS) {
  SC_THREAD(main_thread);
}

void SaAccelerator::main_thread() {
  for (;;) {
    while (!pending_) wait(job_event_);  // a job issued before the first sc_start() is already pending
    const ArrayJob& job = *pending_;
    pending_ = nullptr;
    try {
      engine_.begin(job);
      uint64_t local = 0;
      while (!engine_.done()) {
        engine_.tick();
        if (++local == kQuantumCycles) {
          wait(period_ * static_cast<double>(local));
          local = 0;
        }
      }
      if (local) wait(period_ * static_cast<double>(local));
      result_ = engine_.take_result();
    } catch (...) {
      error_ = std::current_exception();
    }
    finished_ = true;
  }
}

std::string SaAccelerator::lockstep_blocks() const {
  if (!lockstep_counter_) return "";
  std::string blocks = "sa_array";
  if (cosim::cycles_compared<Im2colUnitBlock>(unit_.get()) > 0) blocks += " and im2col_unit";
  if (cosim::cycles_compared<DapUnitBlock>(dap_.get()) > 0) blocks += " and dap_unit";
  return blocks;
}

ArrayJobResult SaAccelerator::run(const ArrayJob& job) {
  pending_ = &job;
  finished_ = false;
  error_ = nullptr;
  job_event_.notify(sc_core::SC_ZERO_TIME);
  run_simulation();  // returns when the thread waits for the next job
  if (error_) std::rethrow_exception(error_);
  if (!finished_) throw std::logic_error("sa accelerator: job did not finish");
  return std::move(result_);
}

namespace {

uint64_t count_lockstep(const SaArrayIf& a) { return cosim::cycles_compared<SaArrayBlock>(&a); }

}  // namespace

std::unique_ptr<SaAccelerator> make_sa(const ArchConfig& arch, const BackendOptions& opts) {
  const Backend b = opts.backend;
  // The units' traces go next to the array's.
  const auto vcd = [&opts](const char* unit) { return opts.vcd_path.empty() ? "" : opts.vcd_path + unit; };
  std::unique_ptr<SaArrayIf> array = cosim::make_block<SaArrayBlock>(b, sa_shape(arch), opts.vcd_path);
  std::unique_ptr<Im2colUnitIf> unit;
  std::unique_ptr<DapUnitIf> dap;
  if (sys(arch).im2col == "hardware")
    unit = cosim::make_block<Im2colUnitBlock>(b, im2col_unit_shape(arch), vcd(".im2col_unit.vcd"));
  if (sa_shape(arch).asparse) dap = cosim::make_block<DapUnitBlock>(b, dap_unit_shape(arch), vcd(".dap_unit.vcd"));
  uint64_t (*counter)(const SaArrayIf&) = b == Backend::Lockstep ? &count_lockstep : nullptr;
  return std::make_unique<SaAccelerator>("sa", arch, std::move(array), std::move(unit), std::move(dap),
                                         counter);
}

}  // namespace npusim::systolic
