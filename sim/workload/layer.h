#pragma once
// One workload layer as read from a workload file. Geometry follows DESIGN.md §4: input H×W×C,
// K output channels, R×S kernel, strides, asymmetric padding, groups, dilation. The output size
// (out_h × out_w) is derived by the loader and checked against the inputs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace npusim {

enum class OpType {
  Conv, DwConv, Fc, MaxPool, AvgPool, Add, Lstm, Gru,
  // Operators that only real models (.tflite) bring; they run from the model's own description.
  Sub, Mul, Mean, Pad, Reshape, Squeeze, Concat, StridedSlice, Softmax, Logistic, Tanh, Relu, Relu6,
  Quantize, Dequantize
};

const char* to_string(OpType op);

struct Layer {
  std::string name;
  OpType op = OpType::Conv;
  // Convolution-style geometry (fc: H=W=R=S=1, C = input features, K = output features).
  int64_t H = 1, W = 1, C = 1, K = 1, R = 1, S = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int64_t groups = 1, dilation = 1;
  int64_t batch = 1;
  int w_bits = 8, a_bits = 8;
  std::optional<int> w_nnz, a_nnz;  // model sparsity: non-zeros per block of weights / activations
  double w_density = 1.0;           // fraction of non-zero generated weights
  double a_density = 1.0;           // fraction of non-zero generated activations
  std::string act_file, wgt_file;   // optional .npy tensors (absolute or relative to the workload file)
  // Recurrent layers.
  int64_t input_size = 0, hidden_size = 0, seq_len = 0;
  // Derived by the loader.
  int64_t out_h = 1, out_w = 1;
  // Where it came from, for error messages ("file:line").
  std::string source;
  // Producers of this layer's input, resolved by the loader (an add has two, every other op one): layer
  // names, or "" (kNetworkInput) for the network input. Empty for SCALE-Sim rows, which have no graph.
  std::vector<std::string> inputs;
  // Layers of a real model (Network::model): the operator's index there, and the model's own input and
  // output tensor shapes (graph::input_shape / output_shape of ops without conv-style geometry).
  int model_op = -1;
  std::vector<int64_t> model_in_shape, model_out_shape;

  bool from_model() const { return model_op >= 0; }
  bool is_recurrent() const { return op == OpType::Lstm || op == OpType::Gru; }
  // Runs on the array (as a GEMM) rather than on the vector/post-processing unit.
  bool on_array() const { return op == OpType::Conv || op == OpType::DwConv || op == OpType::Fc; }
  int64_t channels_per_group() const { return C / groups; }
  int64_t filters_per_group() const { return K / groups; }
  // GEMM view of one group: M output pixels (× batch), Kdim reduction, N filters.
  int64_t gemm_m() const { return out_h * out_w * batch; }
  int64_t gemm_k() const { return R * S * channels_per_group(); }
  int64_t gemm_n() const { return filters_per_group(); }
  // Multiply-accumulates of the dense layer (0 for pool/add, which do no MACs).
  int64_t macs() const;
  // Where it runs: "array" (the family's compute: conv, dwconv, fc, recurrent gate GEMMs), "vector" (the
  // vector unit: pools, elementwise, activations, data movement) or "host" (no model of its cost:
  // softmax, quantize, dequantize; reshape and squeeze are views).
  const char* unit() const;
};

// Layer::inputs entry that stands for the network input (written `input` in a workload CSV).
inline const std::string kNetworkInput;
// A real model's further graph inputs (k >= 1): "#input1", "#input2", ... ('#' starts no tensor name the
// executor would meet: layer names come from output tensors).
inline std::string network_input_name(size_t k) { return k == 0 ? kNetworkInput : "#input" + std::to_string(k); }

struct TfliteModel;

struct Network {
  std::string name;    // file stem
  std::string source;  // path it was read from
  std::vector<Layer> layers;
  // True when every layer's input is exactly its producers' output (graph::producer_mismatch):
  // the executor can then run the network with tensors flowing. Otherwise the layers run independently and
  // independent_reason says why in one line ("path:line: layer 'x' reads ... but its producer 'y' writes
  // ...").
  bool chained = false;
  std::string independent_reason;
  // A real model (.tflite): weights, biases and quantization of every layer come from it.
  std::shared_ptr<const TfliteModel> model;
};

}  // namespace npusim
