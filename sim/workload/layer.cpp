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
    case OpType::Sub:
      return "sub";
    case OpType::Mul:
      return "mul";
    case OpType::Mean:
      return "mean";
    case OpType::Pad:
      return "pad";
    case OpType::Reshape:
      return "reshape";
    case OpType::Squeeze:
      return "squeeze";
    case OpType::Concat:
      return "concat";
    case OpType::StridedSlice:
      return "strided_slice";
    case OpType::Softmax:
      return "softmax";
    case OpType::Logistic:
      return "logistic";
    case OpType::Tanh:
      return "tanh";
    case OpType::Relu:
      return "relu";
    case OpType::Relu6:
      return "relu6";
    case OpType::Quantize:
      return "quantize";
    case OpType::Dequantize:
      return "dequantize";
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
    case OpType::Lstm:
      return seq_len * batch * 4 * hidden_size * (input_size + hidden_size);
    case OpType::Gru:
      return seq_len * batch * 3 * hidden_size * (input_size + hidden_size);
    default:
      return 0;
  }
}

const char* Layer::unit() const {
  switch (op) {
    case OpType::Conv:
    case OpType::DwConv:
    case OpType::Fc:
    case OpType::Lstm:
    case OpType::Gru:
      return "array";
    case OpType::Softmax:
    case OpType::Quantize:
    case OpType::Dequantize:
    case OpType::Reshape:
    case OpType::Squeeze:
      return "host";
    default:
      return "vector";
  }
}

}  // namespace npusim
