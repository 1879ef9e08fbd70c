#pragma once
// C++ cycle core of a FixyNN front end (docs/fixynn.md): the stages of a FixedNet chained, stage s's out_*
// driving stage s + 1's in_* and its in_ready driving stage s's out_ready (combinationally: in_ready
// depends on state only). Every stage's ports are visible, as the lockstep compares them every cycle.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "models/fixynn/fixed_stage_core.h"

namespace npusim::fixynn {

class FixedPipelineCore {
 public:
  explicit FixedPipelineCore(const FixedNet& net);

  const FixedNet& net() const { return net_; }
  size_t num_stages() const { return stages_.size(); }
  const FixedStageCore& stage(size_t s) const { return stages_[s]; }
  // Stage s's pins as of the last eval_comb(). The top-level inputs are stage 0's in_valid / in_data and
  // the last stage's out_ready: set them (first_ports(), set_out_ready()) before tick().
  const StagePorts& ports(size_t s) const { return ports_[s]; }
  StagePorts& first_ports() { return ports_.front(); }
  void set_out_ready(bool ready) { ports_.back().out_ready = ready; }

  void reset();
  // Every stage's outputs from its state, then the chaining (stage s -> s + 1 inputs, ready back).
  void eval_comb();
  // The rising edge of every stage (call eval_comb() first in the same cycle).
  void tick();

 private:
  FixedNet net_;
  std::vector<FixedStageCore> stages_;
  std::vector<StagePorts> ports_;
};

}  // namespace npusim::fixynn
