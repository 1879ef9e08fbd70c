#include "models/systolic/sa_lockstep.h"

namespace npusim::systolic {

SaLockstep::SaLockstep(const SaShape& shape, SaFault fault, const std::string& vcd_path)
    : model_(shape), rtl_(shape, fault, vcd_path.empty() ? "" : vcd_path + ".rtl.vcd") {
  if (vcd_path.empty()) return;
  vcd_ = std::make_unique<cosim::VcdWriter>(vcd_path);
  auto& v = *vcd_;
  ids_.rst = v.add("inputs", "rst", 1);
  ids_.in_valid = v.add("inputs", "in_valid", 1);
  ids_.in_first = v.add("inputs", "in_first", 1);
  ids_.in_last = v.add("inputs", "in_last", 1);
  ids_.w_wr = v.add("inputs", "w_wr", 1);
  ids_.w_row = v.add("inputs", "w_row", 16);
  for (int q = 0; q < shape.act_lanes(); ++q) ids_.a_in.push_back(v.add("inputs", "a_in_" + std::to_string(q), 8));
  for (int q = 0; q < shape.act_rows(); ++q) ids_.a_mask.push_back(v.add("inputs", "a_mask_" + std::to_string(q), 1));
  for (int q = 0; q < shape.wgt_lanes(); ++q) {
    ids_.w_in.push_back(v.add("inputs", "w_in_" + std::to_string(q), 8));
    ids_.w_idx.push_back(v.add("inputs", "w_idx_" + std::to_string(q), 4));
  }
  for (int q = 0; q < shape.wgt_cols(); ++q) ids_.w_mask.push_back(v.add("inputs", "w_mask_" + std::to_string(q), 1));
  const char* side[2] = {"model", "rtl"};
  for (int s = 0; s < 2; ++s) {
    for (int c = 0; c < shape.cols; ++c) ids_.out_valid[s].push_back(v.add(side[s], "out_valid_" + std::to_string(c), 1));
    for (int q = 0; q < shape.out_lanes(); ++q)
      ids_.out_data[s].push_back(v.add(side[s], "out_data_" + std::to_string(q), 32));
  }
}

void SaLockstep::trace(const SaInputs& in) {
  auto& v = *vcd_;
  v.set_time(cycle_ * 10);  // inputs are sampled by the edge at cycle*10 + 5
  v.set(ids_.rst, in.rst);
  v.set(ids_.in_valid, in.in_valid);
  v.set(ids_.in_first, in.in_first);
  v.set(ids_.in_last, in.in_last);
  v.set(ids_.w_wr, in.w_wr);
  v.set(ids_.w_row, in.w_row);
  for (size_t q = 0; q < ids_.a_in.size(); ++q) v.set(ids_.a_in[q], static_cast<uint8_t>(in.a_in[q]));
  for (size_t q = 0; q < ids_.a_mask.size(); ++q) v.set(ids_.a_mask[q], in.a_mask[q]);
  for (size_t q = 0; q < ids_.w_in.size(); ++q) {
    v.set(ids_.w_in[q], static_cast<uint8_t>(in.w_in[q]));
    v.set(ids_.w_idx[q], in.w_idx[q] & 15);
  }
  for (size_t q = 0; q < ids_.w_mask.size(); ++q) v.set(ids_.w_mask[q], in.w_mask[q]);
  v.set_time(cycle_ * 10 + 5);
  const SaOutputs* outs[2] = {&model_.outputs(), &rtl_.outputs()};
  for (int s = 0; s < 2; ++s)
  {
    for (size_t c = 0; c < ids_.out_valid[s].size(); ++c) v.set(ids_.out_valid[s][c], outs[s]->out_valid[c]);
    for (size_t q = 0; q < ids_.out_data[s].size(); ++q)
      v.set(ids_.out_data[s][q], static_cast<uint32_t>(outs[s]->out_data[q]));
  }
}

void SaLockstep::step(const SaInputs& in) {
  model_.step(in);
  rtl_.step(in);
  if (vcd_) trace(in);
  const SaOutputs& m = model_.outputs();
  const SaOutputs& r = rtl_.outputs();
  for (size_t c = 0; c < m.out_valid.size(); ++c) {
    if (m.out_valid[c] != r.out_valid[c])
      throw cosim::DivergenceError(
          {cycle_, "out_valid", static_cast<int>(c), model_.locate(static_cast<int>(c), false), m.out_valid[c], r.out_valid[c]});
  }
  for (size_t q = 0; q < m.out_data.size(); ++q) {
    if (m.out_data[q] != r.out_data[q])
      throw cosim::DivergenceError(
          {cycle_, "out_data", static_cast<int>(q), model_.locate(static_cast<int>(q), true), m.out_data[q], r.out_data[q]});
  }
  ++cycle_;
}

}  // namespace npusim::systolic
