#include "sim/workload/tflite/tflite_inspect.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/common/error.h"
#include "sim/workload/tflite/tflite_network.h"

namespace npusim {

namespace {

std::string shape_text(const std::vector<int32_t>& s) {
  if (s.empty()) return "scalar";
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
  return out;
}

std::string quant_text(const TfliteQuant& q) {
  if (q.scales.empty()) return "not quantized";
  if (!q.per_channel()) return fmt::format("scale {:.6g} zp {}", q.scales[0], q.zero_points[0]);
  const auto [lo, hi] = std::minmax_element(q.scales.begin(), q.scales.end());
  const bool zero_zps =
      std::all_of(q.zero_points.begin(), q.zero_points.end(), [](int64_t z) { return z == 0; });
  return fmt::format("per-channel {} along dim {}, scale {:.6g}..{:.6g} zp {}", q.scales.size(),
                     q.quantized_dimension, *lo, *hi, zero_zps ? "0" : "mixed");
}

const TfliteTensor& operand(const TfliteModel& m, const TfliteOperator& op, size_t k) {
  return m.tensors.at(static_cast<size_t>(op.inputs.at(k)));
}

// Converter names join every fused op's name with ';'; the first part says enough.
std::string short_name(const std::string& name) {
  std::string s = name.substr(0, name.find(';'));
  return s.size() > 48 ? s.substr(0, 45) + "..." : s;
}

const char* padding_name(TflitePadding p) {
  return p == TflitePadding::Same ? "SAME" : "VALID";
}

bool is(const TfliteOperator& op, const char* name) {
  return op.op == name;
}

// The options worth showing for this op, e.g. "SAME stride 2x2 dilation 1x1".
std::string options_text(const TfliteOperator& op) {
  const TfliteOptions& o = op.options;
  if (is(op, "CONV_2D") || is(op, "DEPTHWISE_CONV_2D")) {
    std::string s = fmt::format("{} stride {}x{} dilation {}x{}", padding_name(o.padding), o.stride_h,
                                o.stride_w, o.dilation_h, o.dilation_w);
    if (is(op, "DEPTHWISE_CONV_2D")) s += fmt::format(" depth_multiplier {}", o.depth_multiplier);
    return s;
  }
  if (is(op, "AVERAGE_POOL_2D") || is(op, "MAX_POOL_2D"))
    return fmt::format("{} filter {}x{} stride {}x{}", padding_name(o.padding), o.filter_h, o.filter_w,
                       o.stride_h, o.stride_w);
  if (is(op, "FULLY_CONNECTED")) return o.keep_num_dims ? "keep_num_dims" : "";
  if (is(op, "MEAN")) return o.keep_dims ? "keep_dims" : "";
  if (is(op, "CONCATENATION")) return fmt::format("axis {}", o.axis);
  if (is(op, "SOFTMAX")) return fmt::format("beta {:g}", o.beta);
  if (is(op, "UNIDIRECTIONAL_SEQUENCE_LSTM"))
    return fmt::format("cell_clip {:g} proj_clip {:g}{}", o.cell_clip, o.proj_clip,
                       o.time_major ? " time_major" : "");
  return "";
}

}  // namespace

void print_tflite_inspect(const Network& net, std::ostream& os) {
  const TfliteModel& m = *net.model;
  auto names = [&m](const std::vector<int>& ids) {
    std::string s;
    for (int i : ids)
      s += (s.empty() ? "" : ", ") + (i < 0 ? std::string("-") : short_name(m.tensors[i].name));
    return s;
  };
  os << fmt::format("model: {} (schema version {}, {} tensors, {} operators)\n", m.path, m.version,
                    m.tensors.size(), m.operators.size());
  os << fmt::format("inputs: {}\noutputs: {}\n", names(m.inputs), names(m.outputs));
  int64_t total = 0;
  int per_unit[3] = {0, 0, 0};
  for (const Layer& l : net.layers) {
    const TfliteOperator& op = m.operators.at(static_cast<size_t>(l.model_op));
    const int64_t macs = l.macs();
    total += macs;
    const std::string unit = l.unit();
    ++per_unit[unit == "array" ? 0 : unit == "vector" ? 1 : 2];
    os << fmt::format("[{}] {} '{}'  unit {}", op.index, op.op, l.name, unit);
    if (macs) os << fmt::format("  MACs {}", macs);
    os << fmt::format("  activation {}", tflite_activation_name(op.options.activation));
    if (const std::string opts = options_text(op); !opts.empty()) os << "  " << opts;
    os << "\n";
    auto line = [&](const char* role, int id) {
      if (id < 0) return;
      const TfliteTensor& t = m.tensors[id];
      os << fmt::format("    {:<4}#{} {} {} {}{}  {}\n", role, id, short_name(t.name),
                        tflite_type_name(t.type), shape_text(t.shape), t.has_data() ? " const" : "",
                        quant_text(t.quant));
    };
    for (int id : op.inputs) line("in", id);
    for (int id : op.outputs) line("out", id);
  }
  os << fmt::format("total: {} MACs; {} operators on the array, {} on the vector unit, {} on the host\n",
                    total, per_unit[0], per_unit[1], per_unit[2]);
}

}  // namespace npusim
