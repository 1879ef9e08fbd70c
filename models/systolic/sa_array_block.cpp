#include "models/systolic/sa_array_block.h"

#include <sstream>
#include <stdexcept>

namespace npusim::systolic {

std::map<std::string, std::string> SaArrayBlock::params(const Shape& s) {
  if (s.rows < 1 || s.cols < 1) throw std::invalid_argument("sa_array: ROWS and COLS must be >= 1");
  return {{"ROWS", std::to_string(s.rows)}, {"COLS", std::to_string(s.cols)}, {"DATAFLOW", std::to_string(s.dataflow)},
          {"A", std::to_string(s.a)},       {"B", std::to_string(s.b)},       {"C", std::to_string(s.c)},
          {"P", std::to_string(s.p)},       {"SPARSE", s.sparse ? "1" : "0"}, {"ASPARSE", s.asparse ? "1" : "0"}};
}

const std::vector<cosim::FaultDef<SaFault>>& SaArrayBlock::faults() {
  static const std::vector<cosim::FaultDef<SaFault>> f = {{"acc_clear", SaFault::AccClear, "NPUSIM_FAULT_ACC_CLEAR"},
                                                          {"col_skew", SaFault::ColSkew, "NPUSIM_FAULT_COL_SKEW"},
                                                          {"mux_idx", SaFault::MuxIdx, "NPUSIM_FAULT_MUX_IDX"}};
  return f;
}

bool SaArrayBlock::parse_shape(const std::vector<std::string>& tokens, Shape* s) {
  if (tokens.size() < 2) return false;
  std::istringstream dims(tokens[0]);
  char x = 0, y = 0;
  if (!(dims >> s->rows >> x >> s->cols) || x != 'x' || !dims.eof()) return false;
  if (tokens[1] != "os" && tokens[1] != "ws") return false;
  s->dataflow = tokens[1] == "ws";
  s->p = 0;
  for (size_t i = 2; i < tokens.size(); ++i) {
    const std::string& tok = tokens[i];
    std::istringstream t(tok.substr(1));
    if (tok[0] == 't') {
      if (!(t >> s->a >> x >> s->b >> y >> s->c) || x != 'x' || y != 'x') return false;
    } else if (tok[0] == 'p') {
      if (!(t >> s->p)) return false;
    } else if (tok == "sparse") {
      s->sparse = true;
    } else if (tok == "asparse") {
      s->asparse = true;
    } else {
      return false;
    }
  }
  if (s->p == 0) s->p = s->b;  // dense tensor PE: one multiplier per activation
  return true;
}

cosim::PortList<SaInputs> SaArrayBlock::inputs(const Shape& s) {
  int rw = 1;  // w_row: clog2(ROWS) bits, at least 1
  while ((1 << rw) < s.rows) ++rw;
  cosim::PortList<SaInputs> p;
  p.scalar("rst", 1, &SaInputs::rst)
      .scalar("in_valid", 1, &SaInputs::in_valid)
      .scalar("in_first", 1, &SaInputs::in_first)
      .scalar("in_last", 1, &SaInputs::in_last)
      .vector("a_in", 8, s.act_lanes(), &SaInputs::a_in)
      .vector("a_mask", 1, s.act_rows(), &SaInputs::a_mask)
      .vector("a_idx", 4, s.act_rows(), &SaInputs::a_idx)
      .vector("w_in", 8, s.wgt_lanes(), &SaInputs::w_in)
      .vector("w_idx", 4, s.wgt_lanes(), &SaInputs::w_idx)
      .vector("w_mask", 1, s.wgt_cols(), &SaInputs::w_mask)
      .scalar("w_wr", 1, &SaInputs::w_wr)
      .scalar("w_row", rw, &SaInputs::w_row);
  return p;
}

cosim::PortList<SaOutputs> SaArrayBlock::outputs(const Shape& s) {
  cosim::PortList<SaOutputs> p;
  p.vector("out_valid", 1, s.cols, &SaOutputs::out_valid).vector("out_data", 32, s.out_lanes(), &SaOutputs::out_data);
  return p;
}

}  // namespace npusim::systolic
