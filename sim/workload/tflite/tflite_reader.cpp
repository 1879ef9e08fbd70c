#include "sim/workload/tflite/tflite_reader.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "sim/common/error.h"
#include "sim/workload/tflite/tflite_verify.h"
#include "tflite_schema_generated.h"

namespace npusim {

namespace {

namespace tfl = tflite;

// Beyond any model npusim can simulate; keeps element counts and byte sizes far from overflow.
constexpr int64_t kMaxElements = int64_t{1} << 40;

std::vector<int32_t> to_vector(const flatbuffers::Vector<int32_t>* v) {
  return v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>{};
}

int type_bytes(TfliteType t) {
  switch (t) {
    case TfliteType::Float32: return 4;
    case TfliteType::Int32: return 4;
    case TfliteType::Int16: return 2;
    case TfliteType::Int8: return 1;
  }
  return 1;
}

// A name from the file as it may appear in a one-line message: printable ASCII only.
std::string printable(const std::string& s) {
  std::string out = s.substr(0, 80);
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '?';
  return out;
}

// Reading context: names the file (and the operator or tensor) in every message.
struct Reader {
  const std::string& path;
  const tfl::Model* model;
  const tfl::SubGraph* sg;

  [[noreturn]] void fail(const std::string& what) const { throw InputError(path + ": " + what); }

  TfliteTensor tensor(size_t i) const {
    const tfl::Tensor* t = sg->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i));
    TfliteTensor out;
    out.name = t->name() ? t->name()->str() : "";
    const std::string at = fmt::format("tensor {} '{}'", i, printable(out.name));
    switch (t->type()) {
      case tfl::TensorType_FLOAT32: out.type = TfliteType::Float32; break;
      case tfl::TensorType_INT32: out.type = TfliteType::Int32; break;
      case tfl::TensorType_INT16: out.type = TfliteType::Int16; break;
      case tfl::TensorType_INT8: out.type = TfliteType::Int8; break;
      default: {
        const char* name = tfl::EnumNameTensorType(t->type());
        fail(fmt::format("{}: unsupported tensor type '{}'", at,
                         *name ? name : fmt::format("{}", static_cast<int>(t->type()))));
      }
    }
    out.shape = to_vector(t->shape());
    int64_t n = 1;
    for (int32_t d : out.shape) {
      if (d < 0) fail(fmt::format("{}: negative dimension {} in its shape", at, d));
      // Checked before n * d can overflow.
      if (d > 0 && n > kMaxElements / d) fail(fmt::format("{}: shape too large", at));
      n *= d;
    }
    out.is_variable = t->is_variable();
    if (const tfl::QuantizationParameters* q = t->quantization()) {
      if (q->details_type() != tfl::QuantizationDetails_NONE) fail(at + ": custom quantization is not supported");
      const auto* s = q->scale();
      const auto* z = q->zero_point();
      const size_t ns = s ? s->size() : 0, nz = z ? z->size() : 0;
      if (ns != nz && !(ns > 0 && nz == 0)) fail(fmt::format("{}: {} scales but {} zero points", at, ns, nz));
      if (s) out.quant.scales.assign(s->begin(), s->end());
      // The verifier checks a vector's length prefix for 4-byte alignment only: an int64 vector may sit at
      // 4 mod 8, so its elements are copied bytewise rather than loaded as int64 (undefined on a misaligned
      // address; found by the tflite fuzz target).
      if (z) {
        out.quant.zero_points.resize(z->size());
        if (z->size() > 0) std::memcpy(out.quant.zero_points.data(), z->Data(), z->size() * sizeof(int64_t));
      }
      out.quant.zero_points.resize(ns, 0);
      out.quant.quantized_dimension = q->quantized_dimension();
      if (ns > 1) {
        const int qd = out.quant.quantized_dimension;
        if (qd < 0 || qd >= static_cast<int>(out.shape.size()))
          fail(fmt::format("{}: quantized_dimension {} outside its rank {}", at, qd, out.shape.size()));
        if (static_cast<int64_t>(ns) != out.shape[qd])
          fail(fmt::format("{}: {} per-channel scales for dimension {} of size {}", at, ns, qd, out.shape[qd]));
      }
      for (float sc : out.quant.scales)
        if (!(sc > 0.0f) || sc == std::numeric_limits<float>::infinity())
          fail(fmt::format("{}: quantization scale {} is not positive and finite", at, sc));
    }
    const uint32_t bi = t->buffer();
    const auto* buffers = model->buffers();
    if (bi != 0) {
      if (!buffers || bi >= buffers->size())
        fail(fmt::format("{}: buffer {} does not exist ({} buffers)", at, bi, buffers ? buffers->size() : 0));
      const tfl::Buffer* b = buffers->Get(bi);
      if (b->offset() > 1) fail(at + ": data stored outside the flatbuffer (models over 2 GB) is not supported");
      if (const auto* d = b->data(); d && d->size() > 0) {
        const int64_t want = n * type_bytes(out.type);
        if (static_cast<int64_t>(d->size()) != want)
          fail(fmt::format("{}: buffer {} holds {} bytes, its shape and type need {}", at, bi, d->size(), want));
        out.data.assign(d->begin(), d->end());
      }
    }
    return out;
  }

  // The options table of `op` as T, or nullptr when absent; another options type is an error.
  template <typename T>
  const T* options(const tfl::Operator* op, tfl::BuiltinOptions want, const std::string& at) const {
    if (op->builtin_options_type() == tfl::BuiltinOptions_NONE) return nullptr;
    if (op->builtin_options_type() != want)
      fail(fmt::format("{}: options of type '{}', expected '{}'", at,
                       tfl::EnumNameBuiltinOptions(op->builtin_options_type()), tfl::EnumNameBuiltinOptions(want)));
    return static_cast<const T*>(op->builtin_options());
  }

  template <typename T>
  const T& required(const T* o, const std::string& at) const {
    if (!o) fail(at + ": missing its builtin options");
    return *o;
  }

  TfliteActivation activation(tfl::ActivationFunctionType a, const std::string& at, bool tanh_ok = false) const {
    if (tanh_ok && a == tfl::ActivationFunctionType_TANH) return TfliteActivation::Tanh;
    switch (a) {
      case tfl::ActivationFunctionType_NONE: return TfliteActivation::None;
      case tfl::ActivationFunctionType_RELU: return TfliteActivation::Relu;
      case tfl::ActivationFunctionType_RELU_N1_TO_1: return TfliteActivation::ReluN1To1;
      case tfl::ActivationFunctionType_RELU6: return TfliteActivation::Relu6;
      default: {
        const char* name = tfl::EnumNameActivationFunctionType(a);
        fail(fmt::format("{}: unsupported fused activation '{}'", at, *name ? name : std::to_string(int(a))));
      }
    }
  }

  TflitePadding padding(tfl::Padding p, const std::string& at) const {
    if (p == tfl::Padding_SAME) return TflitePadding::Same;
    if (p == tfl::Padding_VALID) return TflitePadding::Valid;
    fail(fmt::format("{}: unknown padding {}", at, static_cast<int>(p)));
  }

  void positive(int v, const char* what, const std::string& at) const {
    if (v < 1) fail(fmt::format("{}: {} {} (expected >= 1)", at, what, v));
  }

  // Decodes the options of a supported op; other ops are rejected before this is called.
  TfliteOptions decode(const tfl::Operator* op, int code, const std::string& at) const {
    TfliteOptions o;
    switch (code) {
      case tfl::BuiltinOperator_CONV_2D: {
        const auto& c = required(options<tfl::Conv2DOptions>(op, tfl::BuiltinOptions_Conv2DOptions, at), at);
        o.padding = padding(c.padding(), at);
        o.stride_h = c.stride_h(), o.stride_w = c.stride_w();
        o.dilation_h = c.dilation_h_factor(), o.dilation_w = c.dilation_w_factor();
        o.activation = activation(c.fused_activation_function(), at);
        break;
      }
      case tfl::BuiltinOperator_DEPTHWISE_CONV_2D: {
        const auto& c = required(
            options<tfl::DepthwiseConv2DOptions>(op, tfl::BuiltinOptions_DepthwiseConv2DOptions, at), at);
        o.padding = padding(c.padding(), at);
        o.stride_h = c.stride_h(), o.stride_w = c.stride_w();
        o.dilation_h = c.dilation_h_factor(), o.dilation_w = c.dilation_w_factor();
        o.depth_multiplier = c.depth_multiplier();
        o.activation = activation(c.fused_activation_function(), at);
        positive(o.depth_multiplier, "depth_multiplier", at);
        break;
      }
      case tfl::BuiltinOperator_AVERAGE_POOL_2D:
      case tfl::BuiltinOperator_MAX_POOL_2D: {
        const auto& c = required(options<tfl::Pool2DOptions>(op, tfl::BuiltinOptions_Pool2DOptions, at), at);
        o.padding = padding(c.padding(), at);
        o.stride_h = c.stride_h(), o.stride_w = c.stride_w();
        o.filter_h = c.filter_height(), o.filter_w = c.filter_width();
        o.activation = activation(c.fused_activation_function(), at);
        positive(o.filter_h, "filter_height", at);
        positive(o.filter_w, "filter_width", at);
        break;
      }
      case tfl::BuiltinOperator_FULLY_CONNECTED:
        if (const auto* c = options<tfl::FullyConnectedOptions>(op, tfl::BuiltinOptions_FullyConnectedOptions, at)) {
          o.activation = activation(c->fused_activation_function(), at);
          if (c->weights_format() != tfl::FullyConnectedOptionsWeightsFormat_DEFAULT)
            fail(at + ": shuffled weights format is not supported");
          o.keep_num_dims = c->keep_num_dims();
        }
        break;
      case tfl::BuiltinOperator_ADD:
        if (const auto* c = options<tfl::AddOptions>(op, tfl::BuiltinOptions_AddOptions, at))
          o.activation = activation(c->fused_activation_function(), at);
        break;
      case tfl::BuiltinOperator_SUB:
        if (const auto* c = options<tfl::SubOptions>(op, tfl::BuiltinOptions_SubOptions, at))
          o.activation = activation(c->fused_activation_function(), at);
        break;
      case tfl::BuiltinOperator_MUL:
        if (const auto* c = options<tfl::MulOptions>(op, tfl::BuiltinOptions_MulOptions, at))
          o.activation = activation(c->fused_activation_function(), at);
        break;
      case tfl::BuiltinOperator_CONCATENATION:
        if (const auto* c = options<tfl::ConcatenationOptions>(op, tfl::BuiltinOptions_ConcatenationOptions, at)) {
          o.axis = c->axis();
          o.activation = activation(c->fused_activation_function(), at);
        }
        break;
      case tfl::BuiltinOperator_SOFTMAX:
        if (const auto* c = options<tfl::SoftmaxOptions>(op, tfl::BuiltinOptions_SoftmaxOptions, at)) o.beta = c->beta();
        break;
      case tfl::BuiltinOperator_RESHAPE:
        if (const auto* c = options<tfl::ReshapeOptions>(op, tfl::BuiltinOptions_ReshapeOptions, at))
          o.new_shape = to_vector(c->new_shape());
        break;
      case tfl::BuiltinOperator_SQUEEZE:
        if (const auto* c = options<tfl::SqueezeOptions>(op, tfl::BuiltinOptions_SqueezeOptions, at))
          o.squeeze_dims = to_vector(c->squeeze_dims());
        break;
      case tfl::BuiltinOperator_MEAN:
        if (const auto* c = options<tfl::ReducerOptions>(op, tfl::BuiltinOptions_ReducerOptions, at))
          o.keep_dims = c->keep_dims();
        break;
      case tfl::BuiltinOperator_PAD:
        options<tfl::PadOptions>(op, tfl::BuiltinOptions_PadOptions, at);
        break;
      case tfl::BuiltinOperator_STRIDED_SLICE:
        if (const auto* c = options<tfl::StridedSliceOptions>(op, tfl::BuiltinOptions_StridedSliceOptions, at)) {
          o.begin_mask = c->begin_mask(), o.end_mask = c->end_mask(), o.ellipsis_mask = c->ellipsis_mask();
          o.new_axis_mask = c->new_axis_mask(), o.shrink_axis_mask = c->shrink_axis_mask();
        }
        break;
      case tfl::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM: {
        const auto& c = required(options<tfl::UnidirectionalSequenceLSTMOptions>(
                                     op, tfl::BuiltinOptions_UnidirectionalSequenceLSTMOptions, at),
                                 at);
        o.activation = activation(c.fused_activation_function(), at, true);
        o.cell_clip = c.cell_clip(), o.proj_clip = c.proj_clip();
        o.time_major = c.time_major();
        break;
      }
      default:  // LOGISTIC, TANH, RELU, RELU6, QUANTIZE, DEQUANTIZE: no options npusim needs
        break;
    }
    positive(o.stride_h, "stride_h", at);
    positive(o.stride_w, "stride_w", at);
    positive(o.dilation_h, "dilation_h_factor", at);
    positive(o.dilation_w, "dilation_w_factor", at);
    return o;
  }
};

bool supported(int code) {
  switch (code) {
    case tfl::BuiltinOperator_CONV_2D: case tfl::BuiltinOperator_DEPTHWISE_CONV_2D:
    case tfl::BuiltinOperator_FULLY_CONNECTED: case tfl::BuiltinOperator_ADD: case tfl::BuiltinOperator_SUB:
    case tfl::BuiltinOperator_MUL: case tfl::BuiltinOperator_AVERAGE_POOL_2D: case tfl::BuiltinOperator_MAX_POOL_2D:
    case tfl::BuiltinOperator_MEAN: case tfl::BuiltinOperator_PAD: case tfl::BuiltinOperator_RESHAPE:
    case tfl::BuiltinOperator_SQUEEZE: case tfl::BuiltinOperator_CONCATENATION:
    case tfl::BuiltinOperator_STRIDED_SLICE: case tfl::BuiltinOperator_SOFTMAX: case tfl::BuiltinOperator_LOGISTIC:
    case tfl::BuiltinOperator_TANH: case tfl::BuiltinOperator_RELU: case tfl::BuiltinOperator_RELU6:
    case tfl::BuiltinOperator_QUANTIZE: case tfl::BuiltinOperator_DEQUANTIZE:
    case tfl::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM:
      return true;
    default:
      return false;
  }
}

// Operands an op cannot run without: conv/fc need input and weights, everything needs its first input.
size_t min_inputs(int code) {
  switch (code) {
    case tfl::BuiltinOperator_CONV_2D: case tfl::BuiltinOperator_DEPTHWISE_CONV_2D:
    case tfl::BuiltinOperator_FULLY_CONNECTED: case tfl::BuiltinOperator_ADD: case tfl::BuiltinOperator_SUB:
    case tfl::BuiltinOperator_MUL: case tfl::BuiltinOperator_MEAN: case tfl::BuiltinOperator_PAD:
      return 2;
    case tfl::BuiltinOperator_STRIDED_SLICE: return 4;
    default: return 1;
  }
}

std::vector<int> tensor_indices(const flatbuffers::Vector<int32_t>* v, size_t n_tensors, bool allow_absent,
                                const Reader& r, const std::string& at, const char* what) {
  std::vector<int> out;
  if (!v) return out;
  for (flatbuffers::uoffset_t k = 0; k < v->size(); ++k) {
    const int32_t i = v->Get(k);
    if (i == -1 && allow_absent) {
      out.push_back(-1);
      continue;
    }
    if (i < 0 || static_cast<size_t>(i) >= n_tensors)
      r.fail(fmt::format("{}: {} {} is tensor {}, outside 0..{}", at, what, k, i, n_tensors - 1));
    out.push_back(i);
  }
  return out;
}

}  // namespace

int64_t TfliteTensor::elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

const char* tflite_type_name(TfliteType t) {
  switch (t) {
    case TfliteType::Float32: return "float32";
    case TfliteType::Int32: return "int32";
    case TfliteType::Int16: return "int16";
    case TfliteType::Int8: return "int8";
  }
  return "?";
}

const char* tflite_activation_name(TfliteActivation a) {
  switch (a) {
    case TfliteActivation::None: return "none";
    case TfliteActivation::Relu: return "relu";
    case TfliteActivation::ReluN1To1: return "relu_n1_to_1";
    case TfliteActivation::Relu6: return "relu6";
    case TfliteActivation::Tanh: return "tanh";
  }
  return "?";
}

TfliteModel parse_tflite(const std::vector<uint8_t>& bytes, const std::string& path) {
  verify_tflite_buffer(bytes, path);
  const tfl::Model* model = tfl::GetModel(bytes.data());
  const auto* subgraphs = model->subgraphs();
  if (!subgraphs || subgraphs->size() == 0) throw InputError(path + ": the model has no subgraph");
  // Subgraphs beyond the first belong to control-flow ops (IF, WHILE), which are rejected below.
  const Reader r{path, model, subgraphs->Get(0)};
  const auto* tensors = r.sg->tensors();
  const size_t n_tensors = tensors ? tensors->size() : 0;

  TfliteModel out;
  out.path = path;
  out.version = model->version();
  if (model->description()) out.description = model->description()->str();
  for (size_t i = 0; i < n_tensors; ++i) out.tensors.push_back(r.tensor(i));
  out.inputs = tensor_indices(r.sg->inputs(), n_tensors, false, r, "subgraph 0", "input");
  out.outputs = tensor_indices(r.sg->outputs(), n_tensors, false, r, "subgraph 0", "output");

  const auto* codes = model->operator_codes();
  const auto* ops = r.sg->operators();
  for (flatbuffers::uoffset_t k = 0; ops && k < ops->size(); ++k) {
    const tfl::Operator* op = ops->Get(k);
    std::string at = fmt::format("operator {}", k);
    if (!codes || op->opcode_index() >= codes->size())
      r.fail(fmt::format("{}: opcode index {} outside the {} operator codes", at, op->opcode_index(),
                         codes ? codes->size() : 0));
    const tfl::OperatorCode* oc = codes->Get(op->opcode_index());
    // TFLite's rule: the larger of the legacy 8-bit field and the 32-bit field is the code.
    const int code = std::max<int>(oc->deprecated_builtin_code(), static_cast<int>(oc->builtin_code()));
    if (code == tfl::BuiltinOperator_CUSTOM)
      r.fail(fmt::format("{}: unsupported custom op '{}'", at, printable(oc->custom_code() ? oc->custom_code()->str() : "")));
    const char* name = tfl::EnumNameBuiltinOperator(static_cast<tfl::BuiltinOperator>(code));
    const std::string op_name = *name ? name : fmt::format("BUILTIN_{}", code);
    if (!supported(code)) r.fail(fmt::format("{}: unsupported op '{}'", at, op_name));
    at += " (" + op_name + ")";

    TfliteOperator o;
    o.index = static_cast<int>(k);
    o.builtin_code = code;
    o.op = op_name;
    o.inputs = tensor_indices(op->inputs(), n_tensors, true, r, at, "input");
    o.outputs = tensor_indices(op->outputs(), n_tensors, false, r, at, "output");
    if (o.outputs.empty()) r.fail(at + ": no output tensor");
    o.intermediates = tensor_indices(op->intermediates(), n_tensors, false, r, at, "intermediate");
    const size_t need = min_inputs(code);
    if (o.inputs.size() < need) r.fail(fmt::format("{}: {} inputs, needs at least {}", at, o.inputs.size(), need));
    for (size_t j = 0; j < need; ++j)
      if (o.inputs[j] < 0) r.fail(fmt::format("{}: required input {} is absent", at, j));
    o.options = r.decode(op, code, at);
    out.operators.push_back(std::move(o));
  }
  return out;
}

TfliteModel read_tflite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  return parse_tflite(bytes, path);
}

}  // namespace npusim
