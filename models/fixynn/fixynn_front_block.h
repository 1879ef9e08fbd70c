#pragma once
// Block descriptor of the generated FixyNN front end `fixynn_top` (docs/fixynn.md): its ports, its RTL
// (generated from the shape's FixedNet into a content-addressed directory of the RTL cache, so the plugin
// cache key follows the constants) and divergence locations, from which sim/cosim derives the RTL
// adapter (cosim::RtlBlock<FixynnFrontBlock>) and the lockstep (cosim::Lockstep<FixynnFrontBlock>).
#include <map>
#include <string>
#include <vector>

#include "models/fixynn/fixynn_front_core.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::fixynn {

// No define-selected faults: the generated production RTL carries none. The fault variant is a shape
// (FrontShape::fault_stage) whose generated RTL has one weight constant changed.
enum class FrontFault { None };

struct FixynnFrontBlock
    : cosim::BlockTypes<FrontShape, FrontInputs, FrontOutputs, FixynnFrontIf, FixynnFrontCore, FrontFault> {
  static constexpr const char* top = "fixynn_top";
  static constexpr const char* grammar = "(generated per FixedNet: no prebuilt variants)";
  // Writes the generated RTL (once per content) and returns the absolute paths of its Verilog files.
  static std::vector<std::string> sources(const Shape& s);
  // None; std::invalid_argument for a net the generator rejects (before anything is verilated).
  static std::map<std::string, std::string> params(const Shape& s);
  static const std::vector<cosim::FaultDef<Fault>>& faults();
  static bool parse_shape(const std::vector<std::string>& tokens, Shape* s);
  static cosim::PortList<Inputs> inputs(const Shape& s);
  static cosim::PortList<Outputs> outputs(const Shape& s);
  // "stage 1 (conv1_dw+conv1_pw) channel 5" for a data lane, "stage 1 (conv1_dw+conv1_pw)" otherwise.
  static std::string locate(const Core& core, const std::string& port, int lane);
};

// The net the fault variant generates: the first non-zero weight of output channel `channel` of stage
// `stage` (of the stage's last conv, so the change shows on that channel) plus 64, wrapped to int8
// (1 if that gives 0). InputError for a stage or channel outside the net or a channel without weights.
FixedNet faulted_net(const FixedNet& net, int stage, int channel);

}  // namespace npusim::fixynn
