#pragma once
// The cim layer engine as a SystemC module: a thin shell whose job thread (models/common/job_thread.h) runs
// layer jobs (cim_layer_driver.h) on the engine's block (C++ core, Verilated RTL or both in lockstep,
// cim_engine_block.h) and keeps SystemC time in step (cycles x the engine's clock period). Elaborated once
// per process; each run() is one layer. The block is built on the first run and reused while the shape
// (dimensions and kernel) stays the same.
#include <cstdint>
#include <memory>
#include <string>
#include <systemc>

#include "models/cim/cim_layer_driver.h"
#include "models/common/job_thread.h"
#include "sim/family/backend.h"

namespace npusim::cim {

class CimEngineModule final : public sc_core::sc_module {
 public:
  CimEngineModule(sc_core::sc_module_name name, double clock_mhz, const BackendOptions& opts);
  ~CimEngineModule() override;

  // One layer on an engine of `shape`; SystemC time advances by the reset edge plus the cycles from reset
  // to done. Rethrows the job's error (e.g. a DivergenceError).
  LayerResult run(const CimEngineShape& shape, const LayerJob& job);
  // Edges compared by lockstep blocks so far, over every block this module built.
  uint64_t lockstep_cycles() const;
  // "cim_engine" once a block ran in lockstep, else "".
  std::string lockstep_blocks() const { return lockstep_cycles() > 0 ? "cim_engine" : ""; }

 private:
  void ensure_block(const CimEngineShape& shape);

  BackendOptions opts_;
  std::unique_ptr<JobThread> jobs_;
  std::unique_ptr<CimEngineIf> block_;
  uint64_t retired_lockstep_cycles_ = 0;  // of blocks replaced by another shape's
};

}  // namespace npusim::cim
