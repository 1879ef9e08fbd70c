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

}  // namespace npusim
