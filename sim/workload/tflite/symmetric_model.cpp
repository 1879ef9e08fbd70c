#include "sim/workload/tflite/symmetric_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

#include "sim/common/error.h"

namespace npusim {

namespace {

// LSTM operand positions (TFLite's lstm::full layout).
constexpr int kLstmOutputState = 18;
constexpr int kLstmProjectionWeights = 16;
constexpr int kLstmHiddenIntermediate = 4;

bool present(const std::vector<int>& v, size_t k) {
  return k < v.size() && v[k] >= 0;
}

// Equivalence classes of tensors that must share one quantization (union-find).
class TiedTensors {
 public:
  explicit TiedTensors(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int root(int t) {
    while (parent_[t] != t) t = parent_[t] = parent_[parent_[t]];
    return t;
  }
  void tie(int a, int b) { parent_[root(a)] = root(b); }

 private:
  std::vector<int> parent_;
};

// TFLite kernels that pass codes from input 0 to the output unscaled, so both need one quantization.
bool copies_codes(const std::string& op) {
  return op == "AVERAGE_POOL_2D" || op == "MAX_POOL_2D" || op == "PAD" || op == "RESHAPE" ||
         op == "SQUEEZE" || op == "STRIDED_SLICE";
}

// Why TFLite fixes the output quantization of `op`, or nullptr when it does not.
const char* fixed_output(const std::string& op) {
  if (op == "SOFTMAX") return "SOFTMAX output (TFLite int8 requires scale 1/256, zero point -128)";
  if (op == "LOGISTIC") return "LOGISTIC output (TFLite int8 requires scale 1/256, zero point -128)";
  if (op == "TANH") return "TANH output (TFLite int8 requires scale 1/128, zero point 0)";
  return nullptr;
}

// Why `t` is no activation that can be re-quantized, or "" when it is one.
std::string not_activation(const TfliteTensor& t) {
  if (t.type != TfliteType::Int8) return tflite_type_name(t.type);
  if (t.has_data()) return "constant";
  if (t.quant.scales.empty()) return "unquantized";
  if (t.quant.per_channel()) return "per-channel";
  return "";
}

double real_lo(const TfliteQuant& q) {
  return q.scales[0] * (-128.0 - static_cast<double>(q.zero_points[0]));
}
double real_hi(const TfliteQuant& q) {
  return q.scales[0] * (127.0 - static_cast<double>(q.zero_points[0]));
}

// The smallest float scale s with 127 s >= need: the float rounding must not shrink the range.
float symmetric_scale(double need) {
  auto s = static_cast<float>(need / 127);
  while (static_cast<double>(s) * 127 < need) s = std::nextafter(s, std::numeric_limits<float>::infinity());
  return s;
}

// Re-quantizes bias `b` (real = code s_b) of an input whose scale went from s_in to s_in2: scale
// s_in2 s_w per channel, codes rounded half away from zero and saturated.
void requantize_bias(TfliteTensor& b, const TfliteTensor& w, double s_in2, const std::string& at) {
  const size_t n_scales = b.quant.scales.size();
  if (b.type != TfliteType::Int32 || !b.has_data() || n_scales == 0)
    throw InputError(at + ": bias '" + b.name + "' is not a quantized constant int32 tensor");
  const std::vector<int32_t> codes = b.values<int32_t>();
  if ((n_scales != 1 && n_scales != codes.size()) ||
      (w.quant.scales.size() != 1 && w.quant.scales.size() != n_scales))
    throw InputError(fmt::format("{}: bias '{}' has {} scales for {} values and weights '{}' {} scales", at,
                                 b.name, n_scales, codes.size(), w.name, w.quant.scales.size()));
  std::vector<float> scales(n_scales);
  for (size_t k = 0; k < n_scales; ++k)
    scales[k] = static_cast<float>(s_in2 * w.quant.scales[w.quant.per_channel() ? k : 0]);
  std::vector<int32_t> out(codes.size());
  for (size_t k = 0; k < codes.size(); ++k) {
    const size_t c = n_scales == 1 ? 0 : k;
    const double v = std::round(static_cast<double>(codes[k]) * b.quant.scales[c] / scales[c]);
    out[k] = static_cast<int32_t>(
        std::clamp<double>(v, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  }
  std::memcpy(b.data.data(), out.data(), out.size() * sizeof(int32_t));
  b.quant.scales = scales;
}

// (input, weights, bias) triples whose bias has scale s_in s_w: conv, depthwise, FC and the LSTM's
// gates without layer norm (with it, the biases are added after the norm, at a scale of their own).
std::vector<std::array<int, 3>> biased_products(const TfliteOperator& op) {
  std::vector<std::array<int, 3>> out;
  const auto& in = op.inputs;
  if (op.op == "CONV_2D" || op.op == "DEPTHWISE_CONV_2D" || op.op == "FULLY_CONNECTED") {
    if (present(in, 2)) out.push_back({in[0], in[1], in[2]});
  } else if (op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM") {
    const bool layer_norm = present(in, 20) || present(in, 21) || present(in, 22) || present(in, 23);
    for (size_t g = 0; g < 4 && !layer_norm; ++g)
      if (present(in, 1 + g) && present(in, 12 + g)) out.push_back({in[0], in[1 + g], in[12 + g]});
  }
  return out;
}

}  // namespace

TfliteModel symmetric_activations(const TfliteModel& m, SymmetricReport* report) {
  SymmetricReport local;
  SymmetricReport& r = report ? *report : local;
  r = SymmetricReport{};
  const size_t n = m.tensors.size();
  TiedTensors tied(n);
  std::vector<bool> used(n, false);      // read or written by an operator: the candidates
  std::vector<std::string> why_kept(n);  // per class root; "" = re-quantize
  std::vector<std::pair<int, const char*>> fixed;
  for (const TfliteOperator& op : m.operators) {
    for (int t : op.inputs)
      if (t >= 0) used[t] = true;
    for (int t : op.outputs) used[t] = true;
    const int out = op.outputs.at(0);
    if (copies_codes(op.op)) tied.tie(op.inputs.at(0), out);
    if (op.op == "CONCATENATION")
      for (int t : op.inputs) tied.tie(t, out);
    if (op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM") {
      // The kernel copies the state into the output; without projection it writes the state with the
      // hidden intermediate's quantization.
      if (present(op.inputs, kLstmOutputState)) tied.tie(op.inputs[kLstmOutputState], out);
      if (!present(op.inputs, kLstmProjectionWeights) && present(op.intermediates, kLstmHiddenIntermediate)) {
        const int h = op.intermediates[kLstmHiddenIntermediate];
        tied.tie(h, out);
        used[h] = true;
      }
    }
    if (const char* why = fixed_output(op.op)) fixed.emplace_back(out, why);
  }
  for (const auto& [t, why] : fixed)
    if (why_kept[tied.root(t)].empty()) why_kept[tied.root(t)] = why;
  for (size_t t = 0; t < n; ++t) {
    const std::string w = used[t] ? not_activation(m.tensors[t]) : "";
    if (!w.empty() && why_kept[tied.root(t)].empty())
      why_kept[tied.root(t)] = fmt::format("tied to {} tensor {} '{}'", w, t, m.tensors[t].name);
  }

  // Per re-quantized class: the largest magnitude of its members' real ranges, and whether they already
  // share zero point 0 and one scale (then they are symmetric as they are).
  struct Range {
    double need = 0;
    float scale = 0;
    bool symmetric = true;
  };
  std::map<int, Range> range;
  for (size_t t = 0; t < n; ++t) {
    const int c = tied.root(t);
    if (!used[t] || !why_kept[c].empty()) continue;
    const TfliteQuant& q = m.tensors[t].quant;
    if (!(q.scales[0] > 0))
      throw InputError(fmt::format("{}: tensor {} '{}': scale {} is not positive", m.path, t,
                                   m.tensors[t].name, q.scales[0]));
    Range& g = range[c];
    if (g.scale == 0) g.scale = q.scales[0];
    g.need = std::max({g.need, -real_lo(q), real_hi(q)});
    g.symmetric = g.symmetric && g.scale == q.scales[0] && q.zero_points[0] == 0;
  }

  TfliteModel out = m;
  for (size_t t = 0; t < n; ++t) {
    if (!used[t]) continue;
    const int c = tied.root(t);
    TfliteTensor& y = out.tensors[t];
    if (!why_kept[c].empty()) {
      if (not_activation(y).empty() && y.quant.zero_points[0] != 0)
        r.kept.push_back(fmt::format("tensor {} '{}': {}", t, y.name, why_kept[c]));
      continue;
    }
    if (range[c].symmetric) continue;
    y.quant.scales = {symmetric_scale(range[c].need)};
    y.quant.zero_points = {0};
    y.quant.quantized_dimension = 0;
    ++r.tensors_changed;
  }

  // Biases follow their input's new scale; a bias shared by two inputs must get one answer.
  std::map<int, std::pair<float, float>> bias_input_scales;  // bias -> its input's scale before, after
  for (const TfliteOperator& op : m.operators) {
    for (const auto& [in, w, b] : biased_products(op)) {
      if (!not_activation(m.tensors[in]).empty()) continue;
      const float s_in = m.tensors[in].quant.scales[0], s_in2 = out.tensors[in].quant.scales[0];
      const auto done = bias_input_scales.emplace(b, std::make_pair(s_in, s_in2));
      const std::string at = fmt::format("{}: operator {} ({})", m.path, op.index, op.op);
      if (!done.second) {
        if (done.first->second != std::make_pair(s_in, s_in2))
          throw InputError(at + ": bias '" + m.tensors[b].name + "' is shared by inputs of different scales");
        continue;
      }
      if (s_in2 == s_in) continue;
      requantize_bias(out.tensors[b], m.tensors[w], s_in2, at);
      ++r.biases_requantized;
    }
  }
  return out;
}

std::vector<int8_t> requantize_codes(const std::vector<int8_t>& q, double s, int32_t zp, double s2,
                                     int32_t zp2) {
  if (!(s > 0) || !(s2 > 0))
    throw InputError(fmt::format("requantize_codes: scales {} and {} must be positive", s, s2));
  std::vector<int8_t> out(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    const double v = std::round((q[i] - zp) * s / s2) + zp2;
    out[i] = static_cast<int8_t>(std::clamp(v, -128.0, 127.0));
  }
  return out;
}

}  // namespace npusim
