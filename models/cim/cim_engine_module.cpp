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
  jobs_ = std::make_unique<JobThread>("jobs", sc_core::sc_time(1e3 / clock_mhz, sc_core::SC_NS));
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

LayerResult CimEngineModule::run(const CimEngineShape& shape, const LayerJob& job) {
  LayerResult result;
  jobs_->run(
      [&] {
        ensure_block(shape);
        result = run_layer(*block_, job);
        // The reset edge, then the cfg and parameter edges and the layer (result.cycles counts from cfg).
        return result.cycles + 1;
      },
      "cim engine layer");
  return result;
}

}  // namespace npusim::cim
