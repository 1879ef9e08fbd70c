// TFLM's integer LSTM (sim/quant/tflm_lstm.h) and its int16 activations (tflm_activation.h,
// gemmlowp_int16.h): hand-worked values of every element-wise piece, Prepare from float scales, and
// the structure of the step (GEMM + element-wise, layouts, batch rows) on a small random layer.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/gemmlowp_int16.h"
#include "sim/quant/tflm_activation.h"
#include "sim/quant/tflm_lstm.h"

using namespace npusim;
using namespace npusim::quant;

namespace {

// Scales whose gate multipliers are exactly 1 (s_x s_W = 2^-12): a Q3.12 pre-activation equals its
// accumulator. Cell 2^-11 (Q4.11), hidden 2^-7, cell clip 10 (20480 at 2^-11).
TflmLstmScales unit_scales() {
  TflmLstmScales s;
  s.input_scale = 1.0f / 64;
  s.input_zero_point = 3;
  s.input_weight_scales = {1.0f / 64, 1.0f / 64, 1.0f / 64, 1.0f / 64};
  s.recurrent_weight_scales = {1.0f / 32, 1.0f / 32, 1.0f / 32, 1.0f / 32};
  s.output_state_scale = 1.0f / 128;
  s.output_state_zero_point = 0;
  s.cell_state_scale = 1.0f / 2048;
  s.cell_clip = 10;
  return s;
}

TflmLstmParams unit_params(LstmReference ref = LstmReference::Tflm, float clip = 10) {
  TflmLstmScales s = unit_scales();
  s.cell_clip = clip;
  return make_tflm_lstm_params(4, 2, s, ref);
}

TensorI8 random_i8(std::vector<int64_t> shape, int lo, int hi, Rng& rng) {
  TensorI8 t(std::move(shape));
  for (auto& v : t.data) v = static_cast<int8_t>(rng.uniform(lo, hi));
  return t;
}

}  // namespace

TEST_CASE("tflm sigmoid table is sigmoid(k/24) in Q0.16 biased by half the midpoint error", "[tflm_lstm]") {
  const auto& t = tflm_sigmoid_table();
  const auto f = [](double x) { return 65536.0 / (1.0 + std::exp(-x)); };
  for (int k = 0; k < 255; ++k) {
    const double x = k / 24.0, step = 1 / 24.0;
    const double midpoint_error = (f(x) + f(x + step)) / 2 - f(x + step / 2);
    INFO("k = " << k);
    CHECK(t[static_cast<size_t>(k)] == std::lround(f(x) - midpoint_error / 2));  // nearest tie: 0.004 away
  }
  CHECK(t[0] == 32768);
  CHECK(t[255] == 65535);
}

TEST_CASE("tflm sigmoid on Q3.12 at hand-worked points", "[tflm_lstm]") {
  // x = 4096 (1.0): v = 12288, k = 24, t = 0: (T[24] 2^9 + 2^9) >> 10 = (47911 * 512 + 512) >> 10.
  CHECK(tflm_sigmoid_q312(4096) == 23956);
  // Negative: (2^25 - 47911 * 512 + 511) >> 10.
  CHECK(tflm_sigmoid_q312(-4096) == 8812);
  CHECK(tflm_sigmoid_q312(0) == 16384);
  // x = 1: v = 3, r = 32768 * 512 + 3 (33451 - 32768) = 16779265; (r + 512) >> 10 = 16386.
  CHECK(tflm_sigmoid_q312(1) == 16386);
  CHECK(tflm_sigmoid_q312(-1) == 16382);
  // x = 32767: v = 98301, k = 191, t = 509: (65513 * 512 + 509 + 512) >> 10.
  CHECK(tflm_sigmoid_q312(32767) == 32757);
  CHECK(tflm_sigmoid_q312(-32768) == 11);
}

TEST_CASE("tflm tanh at hand-worked points and its input rescaling", "[tflm_lstm]") {
  // Q3.12 (power -12): multiplier 3, v = 12288, k = 48, t = 0: (57724 * 256 - 2^23 + 128) >> 8.
  CHECK(tflm_tanh_pow2(4096, -12) == 24956);
  CHECK(tflm_tanh_pow2(-4096, -12) == -24956);  // (-57724 * 256 + 2^23 + 127) >> 8 (floor)
  CHECK(tflm_tanh_pow2(0, -12) == 0);
  CHECK(tflm_tanh_pow2(1, -12) == 8);
  CHECK(tflm_tanh_pow2(-1, -12) == -8);
  CHECK(tflm_tanh_pow2(32767, -12) == 32767);  // k >= 255: saturated
  CHECK(tflm_tanh_pow2(-32768, -12) == -32767);
  // Cell at 2^-11: shift 1 -> multiplier 6, so 2048 (1.0) lands where Q3.12's 4096 does.
  CHECK(tflm_tanh_pow2(2048, -11) == 24956);
  // 2^-13: negative shift -> multiplier 3, rounding shift 1: (8192 * 3 + 1) >> 1 = 12288.
  CHECK(tflm_tanh_pow2(8192, -13) == 24956);
  CHECK(tflm_tanh(2048, 0, 1) == tflm_tanh(2048, 6, 0));
}

TEST_CASE("tflm sigmoid and tanh are monotone and within 1.5 LSB of the real functions", "[tflm_lstm]") {
  int prev_s = -32768, prev_t = -32768;
  double max_s = 0, max_t = 0;
  for (int v = -32768; v <= 32767; ++v) {
    const auto x = static_cast<int16_t>(v);
    const int s = tflm_sigmoid_q312(x), t = tflm_tanh_pow2(x, -12);
    REQUIRE(s >= prev_s);
    REQUIRE(t >= prev_t);
    prev_s = s, prev_t = t;
    max_s = std::max(max_s, std::abs(s - 32768.0 / (1 + std::exp(-v / 4096.0))));
    max_t = std::max(max_t, std::abs(t - 32768.0 * std::tanh(v / 4096.0)));
  }
  CHECK(max_s < 1.02);  // measured 1.016
  CHECK(max_t < 1.48);  // measured 1.476
}

TEST_CASE("gemmlowp int16 logistic and tanh match gemmlowp's values", "[tflm_lstm]") {
  // Values printed by gemmlowp's own fixedpoint.h (FixedPoint<int16_t, 3>) for the same raw inputs;
  // the port was compared with it on all 65536 inputs for 0..6 integer bits.
  CHECK(gemmlowp_logistic_int16(0, 3) == 16384);
  CHECK(gemmlowp_logistic_int16(1, 3) == 16384);
  CHECK(gemmlowp_logistic_int16(-1, 3) == 16383);
  CHECK(gemmlowp_logistic_int16(4096, 3) == 23952);
  CHECK(gemmlowp_logistic_int16(-4096, 3) == 8815);
  CHECK(gemmlowp_logistic_int16(8192, 3) == 28866);
  CHECK(gemmlowp_logistic_int16(20000, 3) == 32524);
  CHECK(gemmlowp_logistic_int16(-20000, 3) == 243);
  CHECK(gemmlowp_logistic_int16(32767, 3) == 32756);
  CHECK(gemmlowp_logistic_int16(-32768, 3) == 11);
  CHECK(gemmlowp_tanh_int16(0, 3) == 0);
  CHECK(gemmlowp_tanh_int16(1, 3) == 8);
  CHECK(gemmlowp_tanh_int16(4096, 3) == 24964);
  CHECK(gemmlowp_tanh_int16(-4096, 3) == -24964);
  CHECK(gemmlowp_tanh_int16(8192, 3) == 31596);
  CHECK(gemmlowp_tanh_int16(32767, 3) == 32767);
  CHECK(gemmlowp_tanh_int16(-32768, 3) == -32767);
  CHECK(gemmlowp_tanh_int16(2048, 4) == 24964);
  CHECK(gemmlowp_tanh_int16(4096, 4) == 31596);
  CHECK(gemmlowp_tanh_int16(1, 4) == 24);
  // Exact symmetries of the construction: logistic(-x) = One - logistic(x) with One = 32767, tanh odd.
  for (int v = 1; v <= 32767; ++v) {
    const auto x = static_cast<int16_t>(v);
    REQUIRE(gemmlowp_logistic_int16(x, 3) + gemmlowp_logistic_int16(static_cast<int16_t>(-v), 3) == 32767);
    REQUIRE(gemmlowp_tanh_int16(x, 4) == -gemmlowp_tanh_int16(static_cast<int16_t>(-v), 4));
  }
  CHECK_THROWS_AS(gemmlowp_tanh_int16(1, 7), std::invalid_argument);
}

TEST_CASE("tflm lstm prepare derives the multipliers from the float scales", "[tflm_lstm]") {
  const TflmLstmParams p = unit_params();
  for (int g = 0; g < kLstmGates; ++g) {
    CHECK(p.input_multiplier[g] == (1 << 30));  // 2^-6 2^-6 / 2^-12 = 1 = 2^30 2^(1-31)
    CHECK(p.input_shift[g] == 1);
    CHECK(p.recurrent_multiplier[g] == (1 << 30));  // 2^-7 2^-5 / 2^-12 = 1
    CHECK(p.recurrent_shift[g] == 1);
  }
  CHECK(p.cell_state_scale_power == -11);
  CHECK(p.clip_cell);
  CHECK(p.quantized_cell_clip == 20480);
  CHECK(p.forget_cell_multiplier == (1 << 30));  // 2^-15
  CHECK(p.forget_cell_shift == -14);
  CHECK(p.input_cell_multiplier == (1 << 30));  // 2^-30 / 2^-11 = 2^-19
  CHECK(p.input_cell_shift == -18);
  CHECK(p.hidden_multiplier == (1 << 30));  // 2^-30 / 2^-7 = 2^-23
  CHECK(p.hidden_shift == -22);
  CHECK_FALSE(unit_params(LstmReference::Tflm, 0).clip_cell);

  // micro_speech_lstm's input-to-forget gate: the float32 product of the scales / 2^-12 = 8.746...
  TflmLstmScales s = unit_scales();
  s.input_scale = 0.6114379168f;
  s.input_weight_scales[1] = 0.003492319956f;
  const TflmLstmParams m = make_tflm_lstm_params(257, 80, s);
  const double want = static_cast<double>(s.input_scale * s.input_weight_scales[1]) * 4096;
  CHECK(m.input_shift[1] == 4);
  CHECK(std::abs(std::ldexp(m.input_multiplier[1], m.input_shift[1] - 31) - want) < want * 1e-9);
}

TEST_CASE("tflm lstm prepare: cell scale handling and bad scales", "[tflm_lstm]") {
  TflmLstmScales s = unit_scales();
  s.cell_state_scale = 0.0003f;  // log2 = -11.70: TFLM rounds to -12, TFLite refuses
  CHECK(make_tflm_lstm_params(4, 2, s).cell_state_scale_power == -12);
  CHECK_THROWS_AS(make_tflm_lstm_params(4, 2, s, LstmReference::Tflite), InputError);
  s.cell_state_scale = 1.0f / 256;  // 2^-8: outside TFLite's [2^-15, 2^-9]
  CHECK(make_tflm_lstm_params(4, 2, s).cell_state_scale_power == -8);
  CHECK_THROWS_AS(make_tflm_lstm_params(4, 2, s, LstmReference::Tflite), InputError);

  TflmLstmScales bad = unit_scales();
  bad.input_weight_scales[2] = 0;
  CHECK_THROWS_AS(make_tflm_lstm_params(4, 2, bad), InputError);
  bad = unit_scales();
  bad.output_state_zero_point = 200;
  CHECK_THROWS_AS(make_tflm_lstm_params(4, 2, bad), InputError);
  bad = unit_scales();
  bad.cell_clip = -1;
  CHECK_THROWS_AS(make_tflm_lstm_params(4, 2, bad), InputError);
  CHECK_THROWS_AS(make_tflm_lstm_params(0, 2, unit_scales()), InputError);
}

TEST_CASE("tflm lstm gate input: each FC saturates to int16 before the saturating add", "[tflm_lstm]") {
  const TflmLstmParams tflm = unit_params(), tflite = unit_params(LstmReference::Tflite);
  CHECK(tflm_lstm_gate_input(100, 200, 0, tflm) == 300);
  CHECK(tflm_lstm_gate_input(30000, 30000, 1, tflm) == 32767);
  CHECK(tflm_lstm_gate_input(-30000, -30000, 1, tflm) == -32768);
  // Recurrent FC 40000 clamps to 32767 first in TFLM; TFLite adds it unclamped to the input FC.
  CHECK(tflm_lstm_gate_input(-10000, 40000, 2, tflm) == 22767);
  CHECK(tflm_lstm_gate_input(-10000, 40000, 2, tflite) == 30000);
  CHECK(tflm_fc_to_int16(70000, 1 << 30, 1) == 32767);
}

TEST_CASE("tflm lstm cell update: shifts, double rounding, saturation, clip", "[tflm_lstm]") {
  const TflmLstmParams p = unit_params(), tflite = unit_params(LstmReference::Tflite);
  // f = i = g = 0.5, c = 1.0 (2048): 0.5 * 1.0 + 0.5 * 0.5 = 0.75 = 1536.
  CHECK(tflm_lstm_cell_update(2048, 16384, 16384, 16384, p) == 1536);
  CHECK(tflm_lstm_cell_update(2048, 16384, 16384, 16384, tflite) == 1536);
  // f c = 16383: TFLM's mbqm(x, 2^30, -14) rounds twice (8191.5 -> 8192, then 0.5 -> 1); TFLite's single
  // rounding shift by 15 gives 0 (0.49997).
  CHECK(tflm_lstm_cell_update(1, 0, 16383, 0, p) == 1);
  CHECK(tflm_lstm_cell_update(1, 0, 16383, 0, tflite) == 0);
  // Everything at its maximum: 32766 + 2048 saturates to 32767; the clip at 10.0 gives 20480.
  const TflmLstmParams no_clip = unit_params(LstmReference::Tflm, 0);
  CHECK(tflm_lstm_cell_update(32767, 32767, 32767, 32767, no_clip) == 32767);
  CHECK(tflm_lstm_cell_update(32767, 32767, 32767, 32767, p) == 20480);
  // f c = -1073709056 -> -32767; clipped to -20480.
  CHECK(tflm_lstm_cell_update(-32768, 0, 32767, 0, no_clip) == -32767);
  CHECK(tflm_lstm_cell_update(-32768, 0, 32767, 0, p) == -20480);
}

TEST_CASE("tflm lstm hidden: tanh of the cell times the output gate, requantized with z_h", "[tflm_lstm]") {
  TflmLstmScales s = unit_scales();
  const TflmLstmParams p = make_tflm_lstm_params(4, 2, s);
  // tanh(1.0) = 24956 (cell 2048 at 2^-11), o = 32767: 817733252 * 2^-30 * 128 = 97.48 -> 97.
  CHECK(tflm_lstm_hidden(2048, 32767, p) == 97);
  CHECK(tflm_lstm_hidden(-2048, 32767, p) == -97);
  CHECK(tflm_lstm_hidden(0, 32767, p) == 0);
  s.output_state_zero_point = 5;
  CHECK(tflm_lstm_hidden(2048, 32767, make_tflm_lstm_params(4, 2, s)) == 102);
  CHECK(tflm_lstm_hidden(0, 100, make_tflm_lstm_params(4, 2, s)) == 5);
  // TFLite: gemmlowp's tanh(1.0) = 24964, 817995388 * 2^-23 = 97.51 -> 98, + 5; older TFLite
  // subtracted the zero point instead.
  CHECK(tflm_lstm_hidden(2048, 32767, make_tflm_lstm_params(4, 2, s, LstmReference::Tflite)) == 103);
  CHECK(tflm_lstm_hidden(2048, 32767, make_tflm_lstm_params(4, 2, s, LstmReference::TfliteLegacy)) == 93);
  CHECK(tflm_lstm_hidden(32767, 32767, make_tflm_lstm_params(4, 2, s)) == 127);  // 0.99996 * 128 + 5
}

TEST_CASE("tflm lstm step is gate accumulators plus element-wise, in both layouts and per batch row",
          "[tflm_lstm]") {
  Rng rng(11, "tflm_lstm step");
  const int64_t I = 5, H = 3, B = 2, T = 4;
  TflmLstmScales s;
  s.input_scale = 0.05f;
  s.input_zero_point = -7;
  s.input_weight_scales = {0.011f, 0.013f, 0.012f, 0.009f};
  s.recurrent_weight_scales = {0.02f, 0.018f, 0.021f, 0.017f};
  s.output_state_scale = 1.0f / 128;
  s.output_state_zero_point = 2;
  s.cell_state_scale = 1.0f / 2048;
  s.cell_clip = 10;
  const TflmLstmParams p = make_tflm_lstm_params(I, H, s);
  TflmLstmWeights w;
  w.input_weights = random_i8({4 * H, I}, -127, 127, rng);
  w.recurrent_weights = random_i8({4 * H, H}, -127, 127, rng);
  for (int64_t r = 0; r < 4 * H; ++r) w.bias.push_back(static_cast<int32_t>(rng.uniform(-3000, 3000)));
  const TensorI8 x = random_i8({B, T, I}, -128, 127, rng);  // batch-major, as the models

  TflmLstmState st = tflm_lstm_initial_state(B, p);
  CHECK(st.h.data == std::vector<int8_t>(B * H, 2));
  const TflmLstmRun run = tflm_lstm_sequence(x, false, w, p, st);
  REQUIRE(run.output.shape == std::vector<int64_t>{B, T, H});

  // Manual steps: the accumulators are the plain sums, and the element-wise part finishes the step.
  TflmLstmState manual = tflm_lstm_initial_state(B, p);
  for (int64_t t = 0; t < T; ++t) {
    TensorI8 xt({B, I});
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t k = 0; k < I; ++k) xt[b * I + k] = x[(b * T + t) * I + k];
    }
    const TflmGateAccumulators acc = tflm_lstm_gate_accumulators(xt, manual.h, w, p);
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t r = 0; r < 4 * H; ++r) {
        int64_t ax = w.bias[static_cast<size_t>(r)], ah = 0, folded = ax;
        for (int64_t k = 0; k < I; ++k) {
          ax += int64_t{w.input_weights[r * I + k]} * (xt[b * I + k] - s.input_zero_point);
          folded += int64_t{w.input_weights[r * I + k]} * xt[b * I + k] -
                    int64_t{w.input_weights[r * I + k]} * s.input_zero_point;
        }
        for (int64_t k = 0; k < H; ++k) {
          ah += int64_t{w.recurrent_weights[r * H + k]} * (manual.h[b * H + k] - s.output_state_zero_point);
        }
        REQUIRE(acc.input[b * 4 * H + r] == ax);
        REQUIRE(acc.input[b * 4 * H + r] == folded);
        REQUIRE(acc.recurrent[b * 4 * H + r] == ah);
        REQUIRE(run.input_acc[(t * B + b) * 4 * H + r] == ax);
        REQUIRE(run.recurrent_acc[(t * B + b) * 4 * H + r] == ah);
      }
    }
    tflm_lstm_elementwise(acc.input, acc.recurrent, p, manual);
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t j = 0; j < H; ++j) REQUIRE(run.output[(b * T + t) * H + j] == manual.h[b * H + j]);
    }
  }
  CHECK(manual.c.data == st.c.data);

  // Time-major input gives the transposed output.
  TensorI8 xtm({T, B, I});
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t k = 0; k < I; ++k) xtm[(t * B + b) * I + k] = x[(b * T + t) * I + k];
    }
  }
  TflmLstmState st2 = tflm_lstm_initial_state(B, p);
  const TflmLstmRun tm = tflm_lstm_sequence(xtm, true, w, p, st2);
  REQUIRE(tm.output.shape == std::vector<int64_t>{T, B, H});
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t j = 0; j < H; ++j)
        REQUIRE(tm.output[(t * B + b) * H + j] == run.output[(b * T + t) * H + j]);
    }
  }

  // Each batch row alone gives the same rows.
  for (int64_t b = 0; b < B; ++b) {
    TensorI8 xb({1, T, I});
    std::copy_n(x.data.begin() + b * T * I, T * I, xb.data.begin());
    TflmLstmState sb = tflm_lstm_initial_state(1, p);
    const TflmLstmRun rb = tflm_lstm_sequence(xb, false, w, p, sb);
    for (int64_t i = 0; i < T * H; ++i) REQUIRE(rb.output[i] == run.output[b * T * H + i]);
  }

  CHECK_THROWS_AS(tflm_lstm_sequence(random_i8({B, T, I + 1}, 0, 1, rng), false, w, p, st), InputError);
  TflmLstmState wrong = tflm_lstm_initial_state(B + 1, p);
  CHECK_THROWS_AS(tflm_lstm_sequence(x, false, w, p, wrong), InputError);
}

TEST_CASE("tflm lstm tracks a float LSTM on the same operands", "[tflm_lstm]") {
  // Sanity of gate order and scales: integer outputs stay within a few hidden LSB of the real LSTM.
  Rng rng(5, "tflm_lstm float");
  const int64_t I = 6, H = 4, T = 8;
  TflmLstmScales s;
  s.input_scale = 0.02f;
  s.input_zero_point = 10;
  s.input_weight_scales = {0.004f, 0.005f, 0.006f, 0.004f};
  s.recurrent_weight_scales = {0.008f, 0.007f, 0.009f, 0.006f};
  s.output_state_scale = 1.0f / 128;
  s.output_state_zero_point = -3;
  s.cell_state_scale = 1.0f / 2048;
  const TflmLstmParams p = make_tflm_lstm_params(I, H, s);
  TflmLstmWeights w;
  w.input_weights = random_i8({4 * H, I}, -127, 127, rng);
  w.recurrent_weights = random_i8({4 * H, H}, -127, 127, rng);
  for (int64_t r = 0; r < 4 * H; ++r) w.bias.push_back(static_cast<int32_t>(rng.uniform(-2000, 2000)));
  const TensorI8 x = random_i8({1, T, I}, -128, 127, rng);
  TflmLstmState st = tflm_lstm_initial_state(1, p);
  const TflmLstmRun run = tflm_lstm_sequence(x, false, w, p, st);

  std::vector<double> h(H, 0.0), c(H, 0.0);
  const auto sigmoid = [](double v) { return 1 / (1 + std::exp(-v)); };
  double max_err = 0;
  for (int64_t t = 0; t < T; ++t) {
    std::vector<double> gate(4 * H);
    for (int64_t r = 0; r < 4 * H; ++r) {
      const int g = static_cast<int>(r / H);
      double v = w.bias[static_cast<size_t>(r)] * double(s.input_scale) * s.input_weight_scales[g];
      for (int64_t k = 0; k < I; ++k) {
        v += w.input_weights[r * I + k] * double(s.input_weight_scales[g]) * s.input_scale *
             (x[t * I + k] - s.input_zero_point);
      }
      for (int64_t k = 0; k < H; ++k)
        v += w.recurrent_weights[r * H + k] * double(s.recurrent_weight_scales[g]) * h[k];
      gate[r] = v;
    }
    for (int64_t j = 0; j < H; ++j) {
      c[j] = sigmoid(gate[H + j]) * c[j] + sigmoid(gate[j]) * std::tanh(gate[2 * H + j]);
      h[j] = sigmoid(gate[3 * H + j]) * std::tanh(c[j]);
      const double q = run.output[t * H + j] - s.output_state_zero_point;
      max_err = std::max(max_err, std::abs(q - h[j] * 128));
    }
  }
  CHECK(max_err < 3);
}
