#pragma once
// Strict reader of INT8 `.tflite` models: verifies the flatbuffer, checks every index and size, and
// returns a plain C++ description (no flatbuffers types leak out). Anything outside the supported
// operators, tensor types and options is an InputError naming the file and the operator or tensor.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace npusim {

enum class TfliteType { Float32, Int32, Int16, Int8 };
enum class TflitePadding { Same, Valid };
// Tanh occurs only as the LSTM's cell activation; other ops with it are rejected.
enum class TfliteActivation { None, Relu, ReluN1To1, Relu6, Tanh };

struct TfliteQuant {
  std::vector<float> scales;         // empty: not quantized; one: per tensor; more: per channel
  std::vector<int64_t> zero_points;  // same length as scales
  int quantized_dimension = 0;       // the axis the per-channel scales run along
  bool per_channel() const { return scales.size() > 1; }
};

struct TfliteTensor {
  std::string name;
  TfliteType type = TfliteType::Int8;
  std::vector<int32_t> shape;
  TfliteQuant quant;
  bool is_variable = false;    // state carried across invocations (LSTM)
  std::vector<uint8_t> data;   // constant contents (weights, biases, shapes); empty for activations
  bool has_data() const { return !data.empty(); }
  int64_t elements() const;
  std::vector<int64_t> dims() const { return {shape.begin(), shape.end()}; }
  // Constant contents as T (the element type of `type`); .tflite buffers are little-endian like the hosts
  // npusim runs on.
  template <class T>
  std::vector<T> values() const {
    std::vector<T> v(data.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), data.data(), v.size() * sizeof(T));
    return v;
  }
};

// The builtin options npusim decodes; a field is meaningful only for the ops that carry it.
struct TfliteOptions {
  TflitePadding padding = TflitePadding::Valid;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int filter_h = 0, filter_w = 0;  // pools
  int depth_multiplier = 1;        // depthwise
  TfliteActivation activation = TfliteActivation::None;
  bool keep_num_dims = false;      // fully connected
  bool keep_dims = false;          // mean
  int axis = 0;                    // concatenation
  float beta = 1.0f;               // softmax
  std::vector<int32_t> new_shape;  // reshape (may be empty: the shape input is authoritative)
  std::vector<int32_t> squeeze_dims;
  int begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  float cell_clip = 0.0f, proj_clip = 0.0f;  // LSTM; 0 = no clipping
  bool time_major = false;
};

struct TfliteOperator {
  int index = 0;           // position in execution order
  int builtin_code = 0;    // TFLite's BuiltinOperator value
  std::string op;          // its name, e.g. "CONV_2D"
  std::vector<int> inputs;   // tensor indices; -1 = optional input absent
  std::vector<int> outputs;
  std::vector<int> intermediates;  // tensors the op's kernel reads quantization from (the integer LSTM's)
  TfliteOptions options;
};

struct TfliteModel {
  std::string path;
  uint32_t version = 0;
  std::string description;
  std::vector<TfliteTensor> tensors;
  std::vector<TfliteOperator> operators;  // execution order
  std::vector<int> inputs, outputs;       // the graph's input and output tensors
};

// Reads and validates `path`; InputError ("path: ...", one line) on anything malformed or unsupported.
TfliteModel read_tflite(const std::string& path);
// The same from bytes already in memory; `path` only names the source in messages.
TfliteModel parse_tflite(const std::vector<uint8_t>& bytes, const std::string& path);

const char* tflite_type_name(TfliteType t);
const char* tflite_activation_name(TfliteActivation a);

}  // namespace npusim
