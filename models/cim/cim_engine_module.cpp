#include "models/cim/cim_engine_module.h"

#include <stdexcept>

#include "models/cim/cim_engine_block.h"
#include "sim/common/error.h"
#include "sim/cosim/make_block.h"

namespace npusim::cim {

namespace {
bool same_shape(const CimEngineShape& a, const CimEngineShape& b) {
  return a.n_in == b.n_in && a.k_max == b.k_max && a.s_max == b.s_max && a.lanes_in == b.lanes_in &&
         a.lanes_out == b.lanes_out && a.kernel == b.kernel;
}
}  // namespace

CimEngineModule::CimEngineModule(sc_core::sc_module_name name, double clock_mhz, const BackendOptions& opts)
    : sc_core::sc_module(name), opts_(opts) {
  if (!(clock_mhz > 0)) throw InputError("cim: the engine's clock must be > 0 MHz");
  period_ = sc_core::sc_time(1e3 / clock_mhz, sc_core::SC_NS);
  SC_THREAD(main_thread);
}

CimEngineModule::~CimEngineModule() = default;

uint64_t CimEngineModule::lockstep_cycles() const {
  return retired_lockstep_cycles_ + cosim::cycles_compared<CimEngineBlock>(block_.get());
}

void CimEngineModule::ensure_block(const CimEngineShape& shape) {
  if (block_ && same_shape(block_->shape(), shape)) return;
  retired_lockstep_cycles_ += cosim::cycles_compared<CimEngineBlock>(block_.get());
  block_.reset();
  block_ = cosim::make_block<CimEngineBlock>(opts_.backend, shape, opts_.vcd_path);
}

void CimEngineModule::main_thread() {
  for (;;) {
    while (!pending_) wait(job_event_);  // a job issued before the first sc_start() is already pending
    const Job job = *pending_;
    pending_ = nullptr;
    try {
      ensure_block(*job.shape);
      result_ = run_layer(*block_, *job.job);
      // The reset edge, then the cfg and parameter edges and the layer (result_.cycles counts from cfg).
      wait(period_ * static_cast<double>(result_.cycles + 1));
    } catch (...) {
      error_ = std::current_exception();
    }
    finished_ = true;
  }
}

LayerResult CimEngineModule::run(const CimEngineShape& shape, const LayerJob& job) {
  const Job j{&shape, &job};
  pending_ = &j;
  finished_ = false;
  error_ = nullptr;
  job_event_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when every thread waits for its next job
  pending_ = nullptr;
  if (error_) std::rethrow_exception(error_);
  if (!finished_) throw std::logic_error("cim engine: layer job did not finish");
  return std::move(result_);
}

}  // namespace npusim::cim
