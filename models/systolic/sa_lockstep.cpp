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
  for (int r = 0; r < shape.rows; ++r) {
    ids_.a_in.push_back(v.add("inputs", "a_in_" + std::to_string(r), 8));
    ids_.a_mask.push_back(v.add("inputs", "a_mask_" + std::to_string(r), 1));
  }
  for (int c = 0; c < shape.cols; ++c) {
    ids_.w_in.push_back(v.add("inputs", "w_in_" + std::to_string(c), 8));
    ids_.w_mask.push_back(v.add("inputs", "w_mask_" + std::to_string(c), 1));
  }
  const char* side[2] = {"model", "rtl"};
  for (int s = 0; s < 2; ++s)
    for (int c = 0; c < shape.cols; ++c) {
      ids_.out_valid[s].push_back(v.add(side[s], "out_valid_" + std::to_string(c), 1));
      ids_.out_data[s].push_back(v.add(side[s], "out_data_" + std::to_string(c), 32));
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
  for (size_t r = 0; r < ids_.a_in.size(); ++r) {
    v.set(ids_.a_in[r], static_cast<uint8_t>(in.a_in[r]));
    v.set(ids_.a_mask[r], in.a_mask[r]);
  }
  for (size_t c = 0; c < ids_.w_in.size(); ++c) {
    v.set(ids_.w_in[c], static_cast<uint8_t>(in.w_in[c]));
    v.set(ids_.w_mask[c], in.w_mask[c]);
  }
  v.set_time(cycle_ * 10 + 5);
  const SaOutputs* outs[2] = {&model_.outputs(), &rtl_.outputs()};
  for (int s = 0; s < 2; ++s)
    for (size_t c = 0; c < ids_.out_valid[s].size(); ++c) {
      v.set(ids_.out_valid[s][c], outs[s]->out_valid[c]);
      v.set(ids_.out_data[s][c], static_cast<uint32_t>(outs[s]->out_data[c]));
    }
}

void SaLockstep::step(const SaInputs& in) {
  model_.step(in);
  rtl_.step(in);
  if (vcd_) trace(in);
  const SaOutputs& m = model_.outputs();
  const SaOutputs& r = rtl_.outputs();
  const int cols = model_.shape().cols;
  for (int c = 0; c < cols; ++c) {
    if (m.out_valid[c] != r.out_valid[c])
      throw cosim::DivergenceError({cycle_, "out_valid", c, model_.locate(c), m.out_valid[c], r.out_valid[c]});
  }
  for (int c = 0; c < cols; ++c) {
    if (m.out_data[c] != r.out_data[c])
      throw cosim::DivergenceError({cycle_, "out_data", c, model_.locate(c), m.out_data[c], r.out_data[c]});
  }
  ++cycle_;
}

}  // namespace npusim::systolic
