// symmetric_activations on the seven shipped models (zero points, ranges, biases, ties, nothing else
// changed), on small hand-built graphs for the ops the models lack, and requantize_codes.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include "sim/common/error.h"
#include "sim/workload/tflite/symmetric_model.h"
#include "sim/workload/tflite/tflite_reader.h"

using namespace npusim;
using Catch::Contains;

namespace {

std::string model_path(const std::string& name) {
  return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/" + name;
}

bool is_activation(const TfliteTensor& t) {
  return t.type == TfliteType::Int8 && !t.has_data() && t.quant.scales.size() == 1;
}

bool same_quant(const TfliteTensor& a, const TfliteTensor& b) {
  return a.quant.scales == b.quant.scales && a.quant.zero_points == b.quant.zero_points;
}

double lo(const TfliteTensor& t) {
  return t.quant.scales[0] * (-128.0 - t.quant.zero_points[0]);
}
double hi(const TfliteTensor& t) {
  return t.quant.scales[0] * (127.0 - t.quant.zero_points[0]);
}

std::vector<int32_t> int32s(const TfliteTensor& t) {
  std::vector<int32_t> v(t.data.size() / 4);
  std::memcpy(v.data(), t.data.data(), t.data.size());
  return v;
}

// The tensor indices named by the report's kept entries ("tensor N 'name': why").
std::set<int> kept_tensors(const SymmetricReport& r) {
  std::set<int> out;
  for (const std::string& k : r.kept) out.insert(std::stoi(k.substr(k.find(' ') + 1)));
  return out;
}

// (input, weights, bias) of every bias with scale s_in s_w in these models (conv, depthwise, FC, LSTM gates).
std::vector<std::array<int, 3>> bias_triples(const TfliteModel& m) {
  std::vector<std::array<int, 3>> out;
  for (const TfliteOperator& op : m.operators) {
    if (op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM") {
      for (size_t g = 0; g < 4; ++g)
        if (op.inputs[1 + g] >= 0) out.push_back({op.inputs[0], op.inputs[1 + g], op.inputs[12 + g]});
    } else if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
      out.push_back({op.inputs[0], op.inputs[1], op.inputs[2]});
    }
  }
  return out;
}

// Tensors whose quantization TFLite requires equal: copy-through ops' input 0 and output, the LSTM's
// output, output state and hidden intermediate.
std::vector<std::pair<int, int>> tied_pairs(const TfliteModel& m) {
  std::vector<std::pair<int, int>> out;
  for (const TfliteOperator& op : m.operators) {
    const int y = op.outputs[0];
    if (op.op == "AVERAGE_POOL_2D" || op.op == "MAX_POOL_2D" || op.op == "RESHAPE" || op.op == "SQUEEZE" ||
        op.op == "PAD" || op.op == "STRIDED_SLICE")
      out.emplace_back(op.inputs[0], y);
    if (op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM") {
      out.emplace_back(op.inputs[18], y);
      out.emplace_back(op.intermediates.at(4), y);
    }
  }
  return out;
}

int count_op(const TfliteModel& m, const std::string& name) {
  int n = 0;
  for (const TfliteOperator& op : m.operators) n += op.op == name;
  return n;
}

}  // namespace

TEST_CASE("symmetric activations on every shipped model") {
  struct Expect {
    const char* file;
    int tensors_changed, biases_requantized;
  };
  // The LSTM models' gate biases follow the input; trained_lstm's state class is already symmetric.
  const std::vector<Expect> models = {
      {"ad01_int8.tflite", 11, 10},       {"kws_ref_model.tflite", 13, 10},
      {"vww_96_int8.tflite", 31, 28},     {"pretrainedResnet_quant.tflite", 16, 10},
      {"str_ww_ref_model.tflite", 11, 9}, {"micro_speech_lstm.tflite", 6, 5},
      {"trained_lstm_int8.tflite", 2, 4}};
  for (const Expect& e : models) {
    INFO(e.file);
    const TfliteModel m = read_tflite(model_path(e.file));
    SymmetricReport rep;
    const TfliteModel s = symmetric_activations(m, &rep);
    CHECK(rep.tensors_changed == e.tensors_changed);
    CHECK(rep.biases_requantized == e.biases_requantized);

    // Structure: operators, graph edges, tensor names, types and shapes are the same.
    CHECK(s.path == m.path);
    CHECK(s.inputs == m.inputs);
    CHECK(s.outputs == m.outputs);
    REQUIRE(s.operators.size() == m.operators.size());
    for (size_t i = 0; i < m.operators.size(); ++i) {
      CHECK(s.operators[i].op == m.operators[i].op);
      CHECK(s.operators[i].inputs == m.operators[i].inputs);
      CHECK(s.operators[i].outputs == m.operators[i].outputs);
      CHECK(s.operators[i].intermediates == m.operators[i].intermediates);
    }
    REQUIRE(s.tensors.size() == m.tensors.size());
    std::set<int> biases;
    for (const auto& t : bias_triples(m)) biases.insert(t[2]);
    for (size_t t = 0; t < m.tensors.size(); ++t) {
      CHECK(s.tensors[t].name == m.tensors[t].name);
      CHECK(s.tensors[t].type == m.tensors[t].type);
      CHECK(s.tensors[t].shape == m.tensors[t].shape);
      CHECK(s.tensors[t].is_variable == m.tensors[t].is_variable);
      if (!biases.count(static_cast<int>(t)))
        CHECK(s.tensors[t].data == m.tensors[t].data);  // weights untouched
    }

    // Activations: zero point 0 unless kept, a changed one covers at least the original real range;
    // nothing else changes its quantization.
    const std::set<int> kept = kept_tensors(rep);
    CHECK(kept.size() == static_cast<size_t>(count_op(m, "SOFTMAX")));
    for (const std::string& k : rep.kept) CHECK_THAT(k, Contains("SOFTMAX output"));
    int changed = 0;
    for (size_t t = 0; t < m.tensors.size(); ++t) {
      const TfliteTensor &a = m.tensors[t], &b = s.tensors[t];
      if (biases.count(static_cast<int>(t))) continue;
      if (!is_activation(a)) {
        CHECK(same_quant(a, b));
        continue;
      }
      if (kept.count(static_cast<int>(t))) {
        CHECK(same_quant(a, b));
        CHECK(a.quant.zero_points[0] != 0);
        continue;
      }
      INFO("tensor " << t << " " << a.name);
      CHECK(b.quant.zero_points == std::vector<int64_t>{0});
      if (same_quant(a, b)) continue;
      ++changed;
      CHECK(lo(b) <= lo(a));
      CHECK(hi(b) >= hi(a));
      // No wider than the formula asks: the larger magnitude of the original range is 127 codes.
      CHECK(std::max(-lo(a), hi(a)) / 127 == Approx(b.quant.scales[0]).epsilon(1e-6));
    }
    CHECK(changed == rep.tensors_changed);

    // Biases: scale s_in' s_w, same real value within half a new step, or untouched when s_in stayed.
    int requantized = 0;
    for (const auto& [in, w, bias] : bias_triples(m)) {
      const TfliteTensor &a = m.tensors[bias], &b = s.tensors[bias], &wt = m.tensors[w];
      if (same_quant(m.tensors[in], s.tensors[in])) {
        CHECK(a.data == b.data);
        CHECK(same_quant(a, b));
        continue;
      }
      ++requantized;
      const double s_in2 = s.tensors[in].quant.scales[0];
      const std::vector<int32_t> qa = int32s(a), qb = int32s(b);
      REQUIRE(qa.size() == qb.size());
      REQUIRE(b.quant.scales.size() == a.quant.scales.size());
      for (size_t k = 0; k < qa.size(); ++k) {
        const size_t c = a.quant.per_channel() ? k : 0;
        const double sw = wt.quant.scales[wt.quant.per_channel() ? k : 0];
        CHECK(b.quant.scales[c] == Approx(s_in2 * sw).epsilon(1e-6));
        CHECK(std::abs(qb[k] * double(b.quant.scales[c]) - qa[k] * double(a.quant.scales[c])) <=
              0.5 * b.quant.scales[c] * (1 + 1e-9));
      }
    }
    CHECK(requantized == rep.biases_requantized);

    // Tied tensors share their (new) quantization.
    for (const auto& [x, y] : tied_pairs(m)) {
      INFO("tied " << x << " " << y);
      CHECK(same_quant(s.tensors[x], s.tensors[y]));
    }
  }
}

TEST_CASE("KWS: the input, and the pool and reshape that share the last conv's quantization") {
  const TfliteModel m = read_tflite(model_path("kws_ref_model.tflite"));
  const TfliteModel s = symmetric_activations(m, nullptr);
  // Input: scale 0.584703 zero point 83 spans [-211 s, 44 s].
  const TfliteTensor& in = s.tensors.at(m.inputs[0]);
  CHECK(in.quant.zero_points[0] == 0);
  CHECK(in.quant.scales[0] == Approx(0.584703 * 211 / 127).epsilon(1e-5));
  // The last conv's ReLU output (0.0802362, -128) feeds the pool, whose output feeds the reshape.
  const TfliteOperator &pool = m.operators.at(9), &reshape = m.operators.at(10);
  REQUIRE(pool.op == "AVERAGE_POOL_2D");
  REQUIRE(reshape.op == "RESHAPE");
  for (int t : {pool.inputs[0], pool.outputs[0], reshape.outputs[0]}) {
    CHECK(s.tensors[t].quant.zero_points[0] == 0);
    CHECK(s.tensors[t].quant.scales[0] == Approx(0.0802362 * 255 / 127).epsilon(1e-5));
  }
  // SOFTMAX's output stays at 1/256, -128.
  const TfliteTensor& out = s.tensors.at(m.outputs[0]);
  CHECK(out.quant.scales[0] == 1.0f / 256);
  CHECK(out.quant.zero_points[0] == -128);
}

TEST_CASE("LSTM: output, output state and hidden intermediate become one symmetric class") {
  const TfliteModel m = read_tflite(model_path("micro_speech_lstm.tflite"));
  SymmetricReport rep;
  const TfliteModel s = symmetric_activations(m, &rep);
  const TfliteOperator& lstm = m.operators.at(0);
  REQUIRE(lstm.op == "UNIDIRECTIONAL_SEQUENCE_LSTM");
  REQUIRE(lstm.intermediates.size() == 5);
  const float s0 = m.tensors[lstm.outputs[0]].quant.scales[0];
  REQUIRE(m.tensors[lstm.outputs[0]].quant.zero_points[0] == -1);
  for (int t : {lstm.outputs[0], lstm.inputs[18], lstm.intermediates[4], m.operators.at(1).outputs[0]}) {
    CHECK(s.tensors[t].quant.zero_points[0] == 0);
    CHECK(s.tensors[t].quant.scales[0] == Approx(s0 * 128.0 / 127).epsilon(1e-6));
  }
  // The int16 cell state and the gate intermediates are untouched.
  CHECK(same_quant(s.tensors[lstm.inputs[19]], m.tensors[lstm.inputs[19]]));
  for (int k = 0; k < 4; ++k)
    CHECK(same_quant(s.tensors[lstm.intermediates[k]], m.tensors[lstm.intermediates[k]]));

  // trained_lstm's state class is already zero point 0 with one scale: left exactly as it is.
  const TfliteModel m2 = read_tflite(model_path("trained_lstm_int8.tflite"));
  const TfliteModel s2 = symmetric_activations(m2, nullptr);
  const TfliteOperator& l2 = m2.operators.at(0);
  for (int t : {l2.outputs[0], l2.inputs[18], l2.intermediates[4]})
    CHECK(same_quant(s2.tensors[t], m2.tensors[t]));
}

TEST_CASE("AD01 (FCs with ReLU): the symmetric model computes the same function up to rounding") {
  // TFLite's int8 FC with a double multiplier: y = clamp(round(acc s_in s_w / s_out) + z_out), acc =
  // bias + sum w (x - z_in), clamped to the fused ReLU's [z_out, 127] or the int8 range.
  auto run = [](const TfliteModel& m, std::vector<int8_t> x) {
    for (const TfliteOperator& op : m.operators) {
      const TfliteTensor &in = m.tensors[op.inputs[0]], &w = m.tensors[op.inputs[1]],
                         &out = m.tensors[op.outputs[0]];
      const std::vector<int32_t> bias = int32s(m.tensors[op.inputs[2]]);
      const int rows = w.shape[0], cols = w.shape[1];
      const auto zi = in.quant.zero_points[0], zo = out.quant.zero_points[0];
      const int lo_clamp = op.options.activation == TfliteActivation::Relu ? static_cast<int>(zo) : -128;
      std::vector<int8_t> y(rows);
      for (int r = 0; r < rows; ++r) {
        int64_t acc = bias[r];
        for (int c = 0; c < cols; ++c) acc += static_cast<int8_t>(w.data[r * cols + c]) * (x[c] - zi);
        const double sw = w.quant.scales[w.quant.per_channel() ? r : 0];
        const double v = std::round(acc * (double(in.quant.scales[0]) * sw / out.quant.scales[0])) + zo;
        y[r] = static_cast<int8_t>(std::clamp(v, double(lo_clamp), 127.0));
      }
      x = y;
    }
    return x;
  };
  // The same layers in real numbers (dequantized weights and biases, no activation rounding).
  auto run_real = [](const TfliteModel& m, std::vector<double> x) {
    for (const TfliteOperator& op : m.operators) {
      const TfliteTensor &in = m.tensors[op.inputs[0]], &w = m.tensors[op.inputs[1]];
      const std::vector<int32_t> bias = int32s(m.tensors[op.inputs[2]]);
      const int rows = w.shape[0], cols = w.shape[1];
      std::vector<double> y(rows);
      for (int r = 0; r < rows; ++r) {
        const double sw = w.quant.scales[w.quant.per_channel() ? r : 0];
        double acc = bias[r] * double(in.quant.scales[0]) * sw;
        for (int c = 0; c < cols; ++c) acc += static_cast<int8_t>(w.data[r * cols + c]) * sw * x[c];
        y[r] = op.options.activation == TfliteActivation::Relu ? std::max(acc, 0.0) : acc;
      }
      x = y;
    }
    return x;
  };
  const TfliteModel m = read_tflite(model_path("ad01_int8.tflite"));
  const TfliteModel s = symmetric_activations(m, nullptr);
  const TfliteTensor &in_a = m.tensors[m.inputs[0]], &in_b = s.tensors[s.inputs[0]];
  const TfliteTensor &out_a = m.tensors[m.outputs[0]], &out_b = s.tensors[s.outputs[0]];
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> code(-128, 127);
  double worst = 0, sum = 0, ea = 0, eb = 0;  // code differences; ea, eb: real errors
  int n = 0;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int8_t> x(static_cast<size_t>(in_a.shape.back()));
    for (auto& v : x) v = static_cast<int8_t>(code(rng));
    const auto xb =
        requantize_codes(x, in_a.quant.scales[0], in_a.quant.zero_points[0], in_b.quant.scales[0], 0);
    const auto ya = run(m, x), yb = run(s, xb);
    // Both outputs in the original model's codes.
    const auto yb_a = requantize_codes(yb, out_b.quant.scales[0], 0, out_a.quant.scales[0],
                                       static_cast<int32_t>(out_a.quant.zero_points[0]));
    std::vector<double> xr(x.size());
    for (size_t i = 0; i < x.size(); ++i) xr[i] = in_a.quant.scales[0] * (x[i] - in_a.quant.zero_points[0]);
    const auto yr = run_real(m, xr);
    for (size_t i = 0; i < ya.size(); ++i) {
      ea += std::abs(out_a.quant.scales[0] * (ya[i] - out_a.quant.zero_points[0]) - yr[i]);
      eb += std::abs(out_b.quant.scales[0] * yb[i] - yr[i]);
      const double d = std::abs(ya[i] - yb_a[i]);
      worst = std::max(worst, d);
      sum += d;
      ++n;
    }
  }
  // Ten layers, each ReLU output at half the resolution (its negative codes go unused): the outputs
  // differ by under a code on average (8 at worst on these inputs), and the symmetric model is about
  // as far from the real-valued layers as the original is.
  CHECK(sum / n < 1.0);
  CHECK(worst <= 12);
  CHECK(eb < 1.1 * ea);
}

TEST_CASE("hand-built graphs: concatenation, pad and softmax ties, constants keep their class") {
  auto tensor = [](const std::string& name, float s, int64_t zp) {
    TfliteTensor t;
    t.name = name;
    t.shape = {1, 4};
    t.quant.scales = {s};
    t.quant.zero_points = {zp};
    return t;
  };
  auto op = [](const std::string& name, std::vector<int> in, int out) {
    TfliteOperator o;
    o.op = name;
    o.inputs = std::move(in);
    o.outputs = {out};
    return o;
  };
  TfliteModel m;
  m.path = "graph.tflite";
  // 0, 1 -> CONCATENATION -> 2 -> PAD -> 3 -> SOFTMAX -> 4 -> RESHAPE -> 5;  6 (constant), 0 -> CONCATENATION
  // -> 7
  m.tensors = {tensor("a", 0.1f, -128), tensor("b", 0.05f, 10),         tensor("cat", 0.2f, -5),
               tensor("pad", 0.2f, -5), tensor("sm", 1.0f / 256, -128), tensor("sm_r", 1.0f / 256, -128),
               tensor("k", 0.1f, 3),    tensor("cat2", 0.1f, 3)};
  m.tensors[6].data = {1, 2, 3, 4};
  m.operators = {op("CONCATENATION", {0, 1}, 2), op("PAD", {2}, 3), op("SOFTMAX", {3}, 4),
                 op("RESHAPE", {4}, 5), op("CONCATENATION", {6, 0}, 7)};
  m.inputs = {0, 1};
  m.outputs = {5, 7};
  SymmetricReport rep;
  const TfliteModel s = symmetric_activations(m, &rep);
  // The concatenations tie a, b, cat, pad (the first) and a, k, cat2 (the second): one class with a
  // constant member, so all of it is kept.
  for (int t = 0; t < 8; ++t) CHECK(same_quant(s.tensors[t], m.tensors[t]));
  CHECK(rep.tensors_changed == 0);
  CHECK(rep.kept.size() == 7);  // every asymmetric member of both classes
  CHECK_THAT(rep.kept.at(0), Contains("tensor 0 'a': tied to constant tensor 6 'k'"));
  CHECK_THAT(rep.kept.at(5), Contains("tensor 5 'sm_r': SOFTMAX output"));

  // Without the constant concatenation the first class becomes symmetric over the union of ranges:
  // a [0, 25.5], b [-6.9, 5.85], cat and pad [-24.6, 26.4] -> 26.4 / 127.
  m.operators.pop_back();
  m.outputs = {5};
  const TfliteModel s2 = symmetric_activations(m, &rep);
  for (int t : {0, 1, 2, 3}) {
    CHECK(s2.tensors[t].quant.zero_points[0] == 0);
    CHECK(s2.tensors[t].quant.scales[0] == Approx(0.2 * 132 / 127).epsilon(1e-6));
  }
  CHECK(rep.tensors_changed == 4);
  CHECK(rep.kept.size() == 2);  // the softmax output and the reshape tied to it
}

TEST_CASE("biases that cannot follow their input are one-line InputErrors") {
  const TfliteModel m = read_tflite(model_path("ad01_int8.tflite"));
  SECTION("a bias that is not int32") {
    TfliteModel bad = m;
    bad.tensors[bad.operators[0].inputs[2]].type = TfliteType::Int8;
    try {
      symmetric_activations(bad, nullptr);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Contains("operator 0 (FULLY_CONNECTED): bias"));
      CHECK_THAT(std::string(e.what()), Contains("is not a quantized constant int32 tensor"));
    }
  }
  SECTION("one bias shared by inputs of different scales") {
    TfliteModel bad = m;
    bad.operators[1].inputs[2] = bad.operators[0].inputs[2];
    CHECK_THROWS_WITH(symmetric_activations(bad, nullptr),
                      Contains("is shared by inputs of different scales"));
  }
}

TEST_CASE("requantize_codes rounds half away from zero and saturates") {
  CHECK(requantize_codes({-128, -1, 0, 1, 127}, 0.5, 0, 0.5, 0) == std::vector<int8_t>{-128, -1, 0, 1, 127});
  // 0.5 steps round away from zero.
  CHECK(requantize_codes({-3, -1, 1, 3}, 1.0, 0, 2.0, 0) == std::vector<int8_t>{-2, -1, 1, 2});
  // Asymmetric to symmetric: (q + 128) * 0.1 / 0.2 -> the post-ReLU range onto 0..127.
  CHECK(requantize_codes({-128, -127, 0, 127}, 0.1, -128, 0.2, 0) == std::vector<int8_t>{0, 1, 64, 127});
  // Saturation at both ends.
  CHECK(requantize_codes({-128, 127}, 1.0, 0, 0.5, 0) == std::vector<int8_t>{-128, 127});
  CHECK(requantize_codes({100}, 1.0, 0, 1.0, 100) == std::vector<int8_t>{127});
  CHECK_THROWS_AS(requantize_codes({0}, 0.0, 0, 1.0, 0), InputError);
}
