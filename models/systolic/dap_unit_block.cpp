#include "models/systolic/dap_unit_block.h"

#include <sstream>
#include <stdexcept>

namespace npusim::systolic {

std::map<std::string, std::string> DapUnitBlock::params(const Shape& s) {
  if (s.lanes < 1 || s.bz < 1 || s.bz > 16) throw std::invalid_argument("dap_unit: need LANES >= 1 and 1 <= BZ <= 16");
  return {{"LANES", std::to_string(s.lanes)}, {"BZ", std::to_string(s.bz)}};
}

const std::vector<cosim::FaultDef<DapFault>>& DapUnitBlock::faults() {
  static const std::vector<cosim::FaultDef<DapFault>> f = {
      {"tie", DapFault::Tie, "NPUSIM_FAULT_DAP_TIE"}, {"no_reset", DapFault::NoReset, "NPUSIM_FAULT_DAP_NO_RESET"}};
  return f;
}

bool DapUnitBlock::parse_shape(const std::vector<std::string>& tokens, Shape* s) {
  if (tokens.size() != 1) return false;
  std::istringstream dims(tokens[0]);
  char x = 0;
  return (dims >> s->lanes >> x >> s->bz) && x == 'x' && dims.eof() && s->lanes >= 1 && s->bz >= 1 && s->bz <= 16;
}

cosim::PortList<DapInputs> DapUnitBlock::inputs(const Shape& s) {
  cosim::PortList<DapInputs> p;
  p.scalar("rst", 1, &DapInputs::rst)
      .scalar("in_valid", 1, &DapInputs::in_valid)
      .scalar("nnz", 5, &DapInputs::nnz)
      .vector("in_data", 8, s.elems(), &DapInputs::in_data);
  return p;
}

cosim::PortList<DapOutputs> DapUnitBlock::outputs(const Shape& s) {
  cosim::PortList<DapOutputs> p;
  p.scalar("out_valid", 1, &DapOutputs::out_valid)
      .vector("out_data", 8, s.elems(), &DapOutputs::out_data)
      .vector("out_idx", s.iw(), s.elems(), &DapOutputs::out_idx);
  return p;
}

std::string DapUnitBlock::locate(const Core& core, const std::string& port, int lane) {
  if (port == "out_valid") return "dap_unit";
  const int bz = core.shape().bz;
  return "lane " + std::to_string(lane / bz) + " slot " + std::to_string(lane % bz);
}

}  // namespace npusim::systolic
