#include "sim/workload/layer.h"

namespace npusim {

const char* to_string(OpType op) {
  switch (op) {
    case OpType::Conv:
      return "conv";
    case OpType::DwConv:
      return "dwconv";
    case OpType::Fc:
      return "fc";
    case OpType::MaxPool:
      return "maxpool";
    case OpType::AvgPool:
      return "avgpool";
    case OpType::Add:
      return "add";
    case OpType::Lstm:
      return "lstm";
    case OpType::Gru:
      return "gru";
  }
  return "?";
}

int64_t Layer::macs() const {
  switch (op) {
    case OpType::Conv:
    case OpType::DwConv:
      return out_h * out_w * batch * K * R * S * channels_per_group();
    case OpType::Fc:
      return batch * C * K;
    case OpType::MaxPool:
    case OpType::AvgPool:
    case OpType::Add:
      return 0;
    case OpType::Lstm:
      return seq_len * batch * 4 * hidden_size * (input_size + hidden_size);
    case OpType::Gru:
      return seq_len * batch * 3 * hidden_size * (input_size + hidden_size);
  }
  return 0;
}

std::vector<int64_t> input_shape(const Layer& L) {
  if (L.is_recurrent()) return {L.batch, L.seq_len, L.input_size};
  if (L.op == OpType::Fc) return {L.batch, L.C};
  return {L.batch, L.H, L.W, L.C};
}

std::vector<int64_t> output_shape(const Layer& L) {
  if (L.is_recurrent()) return {L.batch, L.seq_len, L.hidden_size};
  if (L.op == OpType::Fc) return {L.batch, L.K};
  return {L.batch, L.out_h, L.out_w, L.K};
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string format_shape(const std::vector<int64_t>& shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i == 0 && shape[0] == 1 && shape.size() > 1) continue;
    if (!out.empty()) out += 'x';
    out += std::to_string(shape[i]);
  }
  return out;
}

}  // namespace npusim
