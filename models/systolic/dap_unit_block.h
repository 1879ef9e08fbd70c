#pragma once
// Block descriptor of `dap_unit` (rtl/systolic/dap_unit.v, docs/dap_unit.md): its ports, RTL build,
// fault variants and prebuild grammar, from which sim/cosim derives the RTL adapter
// (cosim::RtlBlock<DapUnitBlock>) and the lockstep harness (cosim::Lockstep<DapUnitBlock>).
#include <map>
#include <string>
#include <vector>

#include "models/systolic/dap_unit_core.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::systolic {

// Faults for the lockstep self-test (preprocessor defines in rtl/systolic/dap_unit.v).
enum class DapFault { None, Tie, NoReset };

struct DapUnitBlock : cosim::BlockTypes<DapShape, DapInputs, DapOutputs, DapUnitIf, DapUnitCore, DapFault> {
  static constexpr const char* top = "dap_unit";
  static constexpr const char* grammar = "LANESxBZ[:tie|no_reset]";
  static std::vector<std::string> sources() { return {"rtl/systolic/dap_unit.v"}; }
  static std::map<std::string, std::string> params(const Shape& s);
  static const std::vector<cosim::FaultDef<Fault>>& faults();
  static bool parse_shape(const std::vector<std::string>& tokens, Shape* s);
  static cosim::PortList<Inputs> inputs(const Shape& s);
  static cosim::PortList<Outputs> outputs(const Shape& s);
  static std::string locate(const Core& core, const std::string& port, int lane);
};

}  // namespace npusim::systolic
