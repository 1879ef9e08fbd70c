#pragma once
// Block descriptor of `im2col_unit` (rtl/systolic/im2col_unit.v, docs/im2col_unit.md): its ports, RTL
// build, fault variant and prebuild grammar, from which sim/cosim derives the RTL adapter
// (cosim::RtlBlock<Im2colUnitBlock>) and the lockstep harness (cosim::Lockstep<Im2colUnitBlock>).
#include <map>
#include <string>
#include <vector>

#include "models/systolic/im2col_unit_core.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::systolic {

// Fault for the lockstep self-test (preprocessor define in rtl/systolic/im2col_unit.v).
enum class Im2colFault { None, Bank };

struct Im2colUnitBlock : cosim::BlockTypes<Im2colShape, Im2colInputs, Im2colOutputs, Im2colUnitIf, Im2colUnitCore,
                                                  Im2colFault> {
  static constexpr const char* top = "im2col_unit";
  static constexpr const char* grammar = "LANESxBxDEPTHxLW[:bank]";
  static std::vector<std::string> sources() { return {"rtl/systolic/im2col_unit.v"}; }
  static std::map<std::string, std::string> params(const Shape& s);
  static const std::vector<cosim::FaultDef<Fault>>& faults();
  static bool parse_shape(const std::vector<std::string>& tokens, Shape* s);
  static cosim::PortList<Inputs> inputs(const Shape& s);
  static cosim::PortList<Outputs> outputs(const Shape& s);
  static std::string locate(const Core& core, const std::string& port, int lane);
};

}  // namespace npusim::systolic
