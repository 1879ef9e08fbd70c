#include "sim/workload/tflite/tflite_network.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/common/error.h"
#include "sim/workload/workload_loader.h"

namespace npusim {

std::string tflite_op_where(const TfliteOperator& op) {
  return fmt::format("operator {} ({})", op.index, op.op);
}

namespace {

OpType op_type(const std::string& op) {
  static const std::map<std::string, OpType> kOps = {{"CONV_2D", OpType::Conv},
                                                     {"DEPTHWISE_CONV_2D", OpType::DwConv},
                                                     {"FULLY_CONNECTED", OpType::Fc},
                                                     {"ADD", OpType::Add},
                                                     {"SUB", OpType::Sub},
                                                     {"MUL", OpType::Mul},
                                                     {"AVERAGE_POOL_2D", OpType::AvgPool},
                                                     {"MAX_POOL_2D", OpType::MaxPool},
                                                     {"MEAN", OpType::Mean},
                                                     {"PAD", OpType::Pad},
                                                     {"RESHAPE", OpType::Reshape},
                                                     {"SQUEEZE", OpType::Squeeze},
                                                     {"CONCATENATION", OpType::Concat},
                                                     {"STRIDED_SLICE", OpType::StridedSlice},
                                                     {"SOFTMAX", OpType::Softmax},
                                                     {"LOGISTIC", OpType::Logistic},
                                                     {"TANH", OpType::Tanh},
                                                     {"RELU", OpType::Relu},
                                                     {"RELU6", OpType::Relu6},
                                                     {"QUANTIZE", OpType::Quantize},
                                                     {"DEQUANTIZE", OpType::Dequantize},
                                                     {"UNIDIRECTIONAL_SEQUENCE_LSTM", OpType::Lstm}};
  const auto it = kOps.find(op);
  if (it == kOps.end()) throw std::logic_error("the reader accepted op " + op);
  return it->second;
}

struct Importer {
  const TfliteModel& m;
  const TfliteOperator* op = nullptr;

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(m.path + ": " + tflite_op_where(*op) + ": " + what);
  }
  const TfliteTensor& in(size_t k) const { return m.tensors.at(static_cast<size_t>(op->inputs.at(k))); }
  const TfliteTensor& out() const { return m.tensors.at(static_cast<size_t>(op->outputs.at(0))); }

  void need_rank(const TfliteTensor& t, size_t rank, const char* what) const {
    if (t.shape.size() != rank)
      fail(fmt::format("{} '{}' has rank {}, expected {}", what, t.name, t.shape.size(), rank));
  }
  void need_int8_activation(const TfliteTensor& t, const char* what) const {
    if (t.type != TfliteType::Int8)
      fail(fmt::format(
          "{} '{}' is {}; npusim runs int8 activations (int16x8 and float models are not supported)", what,
          t.name, tflite_type_name(t.type)));
    if (t.quant.scales.size() != 1)
      fail(fmt::format("{} '{}' needs one per-tensor scale, has {}", what, t.name, t.quant.scales.size()));
  }
  void need_weights(const TfliteTensor& w) const {
    if (w.type != TfliteType::Int8 || !w.has_data())
      fail(fmt::format("weights '{}' must be constant int8, are {}{}", w.name, tflite_type_name(w.type),
                       w.has_data() ? "" : " (not constant)"));
    if (w.quant.scales.empty()) fail(fmt::format("weights '{}' are not quantized", w.name));
    for (int64_t z : w.quant.zero_points)
      if (z != 0)
        fail(fmt::format("weights '{}' have zero point {}; TFLite int8 weights are symmetric", w.name, z));
  }
  void need_bias(size_t k) const {
    if (op->inputs.size() <= k || op->inputs[k] < 0) return;
    const TfliteTensor& b = in(k);
    if (b.type != TfliteType::Int32 || !b.has_data())
      fail(fmt::format("bias '{}' must be constant int32, is {}", b.name, tflite_type_name(b.type)));
  }

  // TFLite's padding: SAME pads (out - 1) * stride + effective kernel - in, the odd one at the end.
  void set_padding(Layer& l, TflitePadding p) const {
    const int64_t eff_r = (l.R - 1) * l.dilation + 1, eff_s = (l.S - 1) * l.dilation + 1;
    if (p == TflitePadding::Same) {
      const int64_t th = std::max<int64_t>((l.out_h - 1) * l.stride_h + eff_r - l.H, 0);
      const int64_t tw = std::max<int64_t>((l.out_w - 1) * l.stride_w + eff_s - l.W, 0);
      l.pad_top = th / 2;
      l.pad_bottom = th - th / 2;
      l.pad_left = tw / 2;
      l.pad_right = tw - tw / 2;
    }
    const int64_t oh = conv_out_size(l.H, l.pad_top, l.pad_bottom, l.R, l.stride_h, l.dilation);
    const int64_t ow = conv_out_size(l.W, l.pad_left, l.pad_right, l.S, l.stride_w, l.dilation);
    if (oh != l.out_h || ow != l.out_w)
      fail(fmt::format("output '{}' is {}x{}, but {} padding gives {}x{}", out().name, l.out_h, l.out_w,
                       p == TflitePadding::Same ? "SAME" : "VALID", oh, ow));
  }

  void conv_like(Layer& l) const {
    const TfliteTensor &x = in(0), &w = in(1), &y = out();
    need_rank(x, 4, "input");
    need_rank(w, 4, "filter");
    need_rank(y, 4, "output");
    need_weights(w);
    need_bias(2);
    if (x.shape[0] != 1) fail(fmt::format("batch {} (npusim runs batch 1 models)", x.shape[0]));
    const TfliteOptions& o = op->options;
    if (o.dilation_h != o.dilation_w)
      fail(fmt::format("dilation {}x{} differs per axis", o.dilation_h, o.dilation_w));
    l.H = x.shape[1];
    l.W = x.shape[2];
    l.C = x.shape[3];
    l.out_h = y.shape[1];
    l.out_w = y.shape[2];
    l.K = y.shape[3];
    l.R = w.shape[1];
    l.S = w.shape[2];
    l.stride_h = o.stride_h;
    l.stride_w = o.stride_w;
    l.dilation = o.dilation_h;
    if (l.op == OpType::Conv) {
      if (w.shape[0] != l.K || w.shape[3] != l.C)
        fail(fmt::format("filter {}x{}x{}x{} does not match {} input and {} output channels", w.shape[0],
                         w.shape[1], w.shape[2], w.shape[3], l.C, l.K));
    } else {
      if (w.shape[0] != 1 || w.shape[3] != l.K || l.K != l.C * o.depth_multiplier)
        fail(fmt::format("depthwise filter 1x..x{} with depth multiplier {} does not match {} -> {} channels",
                         w.shape[3], o.depth_multiplier, l.C, l.K));
      l.groups = l.C;
    }
    set_padding(l, o.padding);
  }

  void pool(Layer& l) const {
    const TfliteTensor &x = in(0), &y = out();
    need_rank(x, 4, "input");
    need_rank(y, 4, "output");
    if (x.shape[0] != 1) fail(fmt::format("batch {} (npusim runs batch 1 models)", x.shape[0]));
    const TfliteOptions& o = op->options;
    l.H = x.shape[1];
    l.W = x.shape[2];
    l.C = l.K = x.shape[3];
    l.out_h = y.shape[1];
    l.out_w = y.shape[2];
    if (y.shape[3] != l.C) fail("pooling changes the channel count");
    l.R = o.filter_h;
    l.S = o.filter_w;
    l.stride_h = o.stride_h;
    l.stride_w = o.stride_w;
    set_padding(l, o.padding);
  }

  void fully_connected(Layer& l) const {
    const TfliteTensor &x = in(0), &w = in(1);
    need_rank(w, 2, "weights");
    need_weights(w);
    need_bias(2);
    l.K = w.shape[0];
    l.C = w.shape[1];
    if (l.C < 1 || x.elements() % l.C != 0)
      fail(fmt::format("input '{}' has {} elements, not a multiple of the weights' {} inputs", x.name,
                       x.elements(), l.C));
    l.batch = x.elements() / l.C;
    if (out().elements() != l.batch * l.K)
      fail(fmt::format("output '{}' has {} elements, expected {}", out().name, out().elements(),
                       l.batch * l.K));
  }

  void lstm(Layer& l) const {
    const TfliteTensor &x = in(0), &w = in(2);  // input-to-forget weights exist in every variant
    need_rank(x, 3, "input");
    need_rank(w, 2, "input-to-forget weights");
    const bool time_major = op->options.time_major;
    l.seq_len = time_major ? x.shape[0] : x.shape[1];
    l.batch = time_major ? x.shape[1] : x.shape[0];
    l.input_size = x.shape[2];
    l.hidden_size = w.shape[0];
    if (w.shape[1] != l.input_size) fail("input-to-forget weights do not match the input size");
    if (!time_major && l.batch != 1) fail("batch-major LSTM with batch > 1 is not supported (time-major is)");
    l.model_in_shape = x.dims();
    l.model_out_shape = out().dims();
  }
};

}  // namespace

Network network_from_tflite(std::shared_ptr<const TfliteModel> model) {
  const TfliteModel& m = *model;
  Network net;
  net.source = m.path;
  const std::string file = m.path.substr(m.path.find_last_of('/') + 1);
  net.name = file.substr(0, file.rfind('.'));
  net.model = model;
  if (m.inputs.empty() || m.outputs.size() != 1)
    throw InputError(
        m.path + fmt::format(": the model has {} inputs and {} outputs; npusim runs models with one output",
                             m.inputs.size(), m.outputs.size()));
  // Which layer writes each tensor (network_input_name(k) for the k-th model input).
  std::map<int, std::string> producer;
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    const TfliteTensor& input = m.tensors.at(static_cast<size_t>(m.inputs[k]));
    if (input.type != TfliteType::Int8 && input.type != TfliteType::Float32)
      throw InputError(m.path + ": the model input '" + input.name + "' is " + tflite_type_name(input.type) +
                       "; npusim runs int8 models (float32 inputs through QUANTIZE)");
    producer.emplace(m.inputs[k], network_input_name(k));
  }
  std::set<std::string> names;
  for (const TfliteOperator& op : m.operators) {
    Importer im{m, &op};
    if (op.outputs.size() != 1) im.fail(fmt::format("{} outputs; npusim supports one", op.outputs.size()));
    Layer l;
    l.op = op_type(op.op);
    l.model_op = op.index;
    const TfliteTensor& y = im.out();
    // Converters join the names of fused ops with ';': the first says enough.
    const std::string base = y.name.substr(0, y.name.find(';'));
    l.name = base.empty() ? fmt::format("op{}", op.index) : base;
    if (!names.insert(l.name).second) l.name = fmt::format("{}#{}", l.name, op.index);
    l.source = fmt::format("{}: {}", m.path, tflite_op_where(op));
    for (int t : op.inputs) {
      if (t < 0) continue;
      const TfliteTensor& tin = m.tensors[static_cast<size_t>(t)];
      if (tin.has_data() || tin.is_variable) continue;  // weights, biases, shapes, recurrent state
      const auto p = producer.find(t);
      if (p == producer.end())
        im.fail(fmt::format("input tensor {} '{}' is neither constant nor produced earlier", t, tin.name));
      l.inputs.push_back(p->second);
    }
    if (l.inputs.empty()) im.fail("no input from the network (only constants)");
    const bool float_in = l.op == OpType::Quantize, float_out = l.op == OpType::Dequantize;
    if (!float_in) im.need_int8_activation(im.in(0), "input");
    if (!float_out && l.op != OpType::Lstm) im.need_int8_activation(y, "output");
    if (float_in && im.in(0).type != TfliteType::Float32 && im.in(0).type != TfliteType::Int8)
      im.fail("QUANTIZE from " + std::string(tflite_type_name(im.in(0).type)));
    switch (l.op) {
      case OpType::Conv:
      case OpType::DwConv:
        im.conv_like(l);
        break;
      case OpType::Fc:
        im.fully_connected(l);
        break;
      case OpType::AvgPool:
      case OpType::MaxPool:
        im.pool(l);
        break;
      case OpType::Lstm:
        im.lstm(l);
        break;
      default:
        l.model_in_shape = im.in(0).dims();
        l.model_out_shape = y.dims();
        l.K = std::max<int64_t>(1, y.shape.empty() ? 1 : y.shape.back());
        break;
    }
    if (l.op == OpType::Add || l.op == OpType::Sub || l.op == OpType::Mul || l.op == OpType::Concat) {
      // Two (concat: several) activation inputs; a constant operand is allowed and comes from the model.
      l.model_in_shape = im.in(0).dims();
    }
    producer[op.outputs[0]] = l.name;
    net.layers.push_back(std::move(l));
  }
  if (net.layers.empty()) throw InputError(m.path + ": the model has no operators");
  if (!producer.count(m.outputs[0]) || std::count(m.inputs.begin(), m.inputs.end(), m.outputs[0]))
    throw InputError(m.path + ": the model output is not written by any operator");
  if (producer.at(m.outputs[0]) != net.layers.back().name)
    throw InputError(m.path + ": the model output '" + m.tensors[static_cast<size_t>(m.outputs[0])].name +
                     "' is not written by the last operator");
  net.chained = true;
  return net;
}

Network load_tflite_network(const std::string& path) {
  return network_from_tflite(std::make_shared<const TfliteModel>(read_tflite(path)));
}

}  // namespace npusim
