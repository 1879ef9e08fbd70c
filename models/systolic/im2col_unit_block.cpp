#include "models/systolic/im2col_unit_block.h"

#include <sstream>
#include <stdexcept>

namespace npusim::systolic {

std::map<std::string, std::string> Im2colUnitBlock::params(const Shape& s) {
  if (s.lanes < 1 || s.b < 1 || s.depth < 1 || s.lw < 1)
    throw std::invalid_argument("im2col_unit: LANES, B, DEPTH and LW must be >= 1");
  return {{"LANES", std::to_string(s.lanes)},
          {"B", std::to_string(s.b)},
          {"DEPTH", std::to_string(s.depth)},
          {"LW", std::to_string(s.lw)}};
}

const std::vector<cosim::FaultDef<Im2colFault>>& Im2colUnitBlock::faults() {
  static const std::vector<cosim::FaultDef<Im2colFault>> f = {{"bank", Im2colFault::Bank, "NPUSIM_FAULT_IM2COL_BANK"}};
  return f;
}

bool Im2colUnitBlock::parse_shape(const std::vector<std::string>& tokens, Shape* s) {
  if (tokens.size() != 1) return false;
  std::istringstream dims(tokens[0]);
  char x1 = 0, x2 = 0, x3 = 0;
  return (dims >> s->lanes >> x1 >> s->b >> x2 >> s->depth >> x3 >> s->lw) && x1 == 'x' && x2 == 'x' && x3 == 'x' &&
         dims.eof() && s->lanes >= 1 && s->b >= 1 && s->depth >= 1 && s->lw >= 1;
}

cosim::PortList<Im2colInputs> Im2colUnitBlock::inputs(const Shape& s) {
  using I = Im2colInputs;
  cosim::PortList<I> p;
  p.scalar("rst", 1, &I::rst)
      .scalar("ld_valid", 1, &I::ld_valid)
      .scalar("ld_bank", 1, &I::ld_bank)
      .scalar("ld_addr", s.aw(), &I::ld_addr)
      .vector("ld_data", 8, s.ld_lanes(), &I::ld_data)
      .vector("ld_mask", 1, s.lw, &I::ld_mask)
      .scalar("rd_valid", 1, &I::rd_valid)
      .scalar("rd_bank", 1, &I::rd_bank)
      .vector("rd_addr", s.aw(), s.lanes, &I::rd_addr)
      .vector("rd_mask", 1, s.lanes, &I::rd_mask);
  return p;
}

cosim::PortList<Im2colOutputs> Im2colUnitBlock::outputs(const Shape& s) {
  cosim::PortList<Im2colOutputs> p;
  p.scalar("out_valid", 1, &Im2colOutputs::out_valid).vector("out_data", 8, s.out_lanes(), &Im2colOutputs::out_data);
  return p;
}

std::string Im2colUnitBlock::locate(const Core& core, const std::string& port, int lane) {
  if (port == "out_valid") return "im2col_unit";
  const int b = core.shape().b;
  return "lane " + std::to_string(lane / b) + " channel " + std::to_string(lane % b);
}

}  // namespace npusim::systolic
