#pragma once
// Pins, model interface and C++ cycle core of the whole generated FixyNN front end (top `fixynn_top`,
// docs/fixynn.md): the chain's ends plus every stage's observation ports, so the lockstep
// (cosim::Lockstep<FixynnFrontBlock>, fixynn_front_block.h) compares every stage on every cycle.
#include <cstdint>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "models/fixynn/fixed_pipeline_core.h"

namespace npusim::fixynn {

// The front end to build. A fault variant (fault_stage >= 0) changes one weight constant in the generated
// RTL only (fixynn_front_block.h); the C++ core always implements `net`.
struct FrontShape {
  FixedNet net;
  int fault_stage = -1;   // -1: the production RTL
  int fault_channel = 0;  // output channel of that stage whose first non-zero weight changes
};

struct FrontInputs {
  bool rst = false, in_valid = false;
  std::vector<int8_t> in_data;  // [C] of the first stage
  bool out_ready = false;
  explicit FrontInputs(const FrontShape& s = {})
      : in_data(s.net.stages.empty() ? 0 : static_cast<size_t>(s.net.stages.front().in_channels())) {}
};

// One stage's observation ports s<k>_out_valid, s<k>_out_data, s<k>_in_ready.
struct FrontStageOutputs {
  bool out_valid = false, in_ready = false;
  std::vector<int8_t> out_data;  // [K] of the stage
};

struct FrontOutputs {
  bool in_ready = false, out_valid = false;
  std::vector<int8_t> out_data;  // [K] of the last stage
  std::vector<FrontStageOutputs> stages;
  explicit FrontOutputs(const FrontShape& s = {});
};

// One clock edge of a front-end implementation (C++ core, Verilated RTL or both in lockstep).
class FixynnFrontIf {
 public:
  virtual ~FixynnFrontIf() = default;
  virtual const FrontShape& shape() const = 0;
  // Apply `in` at the next rising edge; afterwards outputs() shows the ports driven from the new state.
  virtual void step(const FrontInputs& in) = 0;
  virtual const FrontOutputs& outputs() const = 0;
};

// FixedPipelineCore behind the interface, clocked like the plugin shim: inputs with clk low, the edge,
// outputs read after it (in_ready is a function of the state only, so no input reaches an output).
class FixynnFrontCore final : public FixynnFrontIf {
 public:
  explicit FixynnFrontCore(const FrontShape& shape);
  const FrontShape& shape() const override { return shape_; }
  void step(const FrontInputs& in) override;
  const FrontOutputs& outputs() const override { return out_; }
  const FixedPipelineCore& pipeline() const { return core_; }

 private:
  void read_outputs();

  FrontShape shape_;
  FixedPipelineCore core_;
  FrontOutputs out_;
};

}  // namespace npusim::fixynn
