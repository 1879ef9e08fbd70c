#include "models/systolic/sa_accelerator.h"

#include "models/systolic/dap_lockstep.h"
#include "models/systolic/im2col_lockstep.h"
#include "models/systolic/sa_array_core.h"
#include "models/systolic/sa_array_rtl.h"
#include "models/systolic/sa_cost.h"
#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_lockstep.h"
#include "models/systolic/sa_timing.h"

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
  const auto* unit = dynamic_cast<const Im2colLockstep*>(unit_.get());
  if (unit && unit->cycles_compared() > 0) blocks += " and im2col_unit";
  const auto* dap = dynamic_cast<const DapLockstep*>(dap_.get());
  if (dap && dap->cycles_compared() > 0) blocks += " and dap_unit";
  return blocks;
}

ArrayJobResult SaAccelerator::run(const ArrayJob& job) {
  pending_ = &job;
  finished_ = false;
  error_ = nullptr;
  job_event_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when the thread waits for the next job
  if (error_) std::rethrow_exception(error_);
  if (!finished_) throw std::logic_error("sa accelerator: job did not finish");
  return std::move(result_);
}

namespace {

uint64_t count_lockstep(const SaArrayIf& a) {
  return static_cast<const SaLockstep&>(a).cycles_compared();
}

}  // namespace

std::unique_ptr<SaAccelerator> make_sa(const ArchConfig& arch, const BackendOptions& opts) {
  const SaShape shape = sa_shape(arch);
  std::unique_ptr<SaArrayIf> array;
  std::unique_ptr<Im2colUnitIf> unit;
  std::unique_ptr<DapUnitIf> dap;
  const bool hw_im2col = sys(arch).im2col == "hardware", has_dap = shape.asparse;
  const DapShape dshape = dap_unit_shape(arch);
  const Im2colShape ushape = im2col_unit_shape(arch);
  // The unit's RTL trace goes next to the array's.
  const std::string unit_vcd = opts.vcd_path.empty() ? "" : opts.vcd_path + ".im2col_unit.vcd";
  const std::string dap_vcd = opts.vcd_path.empty() ? "" : opts.vcd_path + ".dap_unit.vcd";
  uint64_t (*counter)(const SaArrayIf&) = nullptr;
  switch (opts.backend) {
    case Backend::Model:
      array = std::make_unique<SaArrayCore>(shape);
      if (hw_im2col) unit = std::make_unique<Im2colUnitCore>(ushape);
      if (has_dap) dap = std::make_unique<DapUnitCore>(dshape);
      break;
    case Backend::Rtl:
      array = std::make_unique<SaArrayRtl>(shape, SaFault::None, opts.vcd_path);
      if (hw_im2col) unit = std::make_unique<Im2colUnitRtl>(ushape, Im2colFault::None, unit_vcd);
      if (has_dap) dap = std::make_unique<DapUnitRtl>(dshape, DapFault::None, dap_vcd);
      break;
    case Backend::Lockstep:
      array = std::make_unique<SaLockstep>(shape, SaFault::None, opts.vcd_path);
      if (hw_im2col) unit = std::make_unique<Im2colLockstep>(ushape, Im2colFault::None, unit_vcd);
      if (has_dap) dap = std::make_unique<DapLockstep>(dshape, DapFault::None, dap_vcd);
      counter = &count_lockstep;
      break;
  }
  return std::make_unique<SaAccelerator>("sa", arch, std::move(array), std::move(unit), std::move(dap),
                                         counter);
}

}  // namespace npusim::systolic
