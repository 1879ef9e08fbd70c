#pragma once
// The FixyNN fixed-weight front end as a SystemC module: a thin shell whose job thread
// (models/common/job_thread.h) runs frame jobs on the front end's block (C++ core, Verilated RTL or both in
// lockstep, fixynn_front_block.h) and keeps SystemC time in step (cycles x the front end's own clock period).
// Elaborated once per process next to the back end's module; each run() is one job. The block is built on the
// first run and reused while the same net comes again.
#include <cstdint>
#include <memory>
#include <string>
#include <systemc>

#include "models/common/job_thread.h"
#include "models/fixynn/frame_driver.h"
#include "sim/family/backend.h"

namespace npusim::fixynn {

class FixynnFront final : public sc_core::sc_module {
 public:
  FixynnFront(sc_core::sc_module_name name, double clock_mhz, const BackendOptions& opts);
  ~FixynnFront() override;

  // Two frames of `input` (frame_driver.h) through `net`'s front end; SystemC time advances by the
  // reset edge plus FrameResult::total_cycles periods. Rethrows the job's error (e.g. a DivergenceError).
  FrameResult run(const FixedNet& net, const TensorI8& input);
  // Edges compared by lockstep blocks so far, over every block this front end built.
  uint64_t lockstep_cycles() const;
  // "fixynn_top" once a block ran in lockstep, else "".
  std::string lockstep_blocks() const { return lockstep_cycles() > 0 ? "fixynn_top" : ""; }

 private:
  void ensure_block(const FixedNet& net);

  BackendOptions opts_;
  std::unique_ptr<JobThread> jobs_;
  std::unique_ptr<FixynnFrontIf> block_;
  uint64_t retired_lockstep_cycles_ = 0;  // of blocks replaced by another net's
};

}  // namespace npusim::fixynn
