// The cim layer path: check-list A1 (ideal mode = the golden integer ops, bit for bit, through im2col, row
// splits, block-diagonal depthwise and the periphery), the noise-free fixed-gain ADC, and read noise keyed by
// the read, not by the order of the calls.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/cim/converters.h"
#include "models/cim/layer_analog.h"
#include "models/cim/layer_work.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/conv2d.h"
#include "sim/quant/fully_connected.h"
#include "sim/quant/requant.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

TensorI8 random_tensor(std::vector<int64_t> shape, uint64_t seed, int lo = -128, int hi = 127) {
  TensorI8 t(std::move(shape));
  Rng r(seed, "test tensor");
  for (auto& v : t.data) v = static_cast<int8_t>(r.uniform(lo, hi));
  return t;
}

Layer conv(int64_t H, int64_t W, int64_t C, int64_t K, int64_t R, int64_t stride, int64_t pad,
           int64_t groups) {
  Layer l;
  l.name = "conv_" + std::to_string(C) + "_" + std::to_string(K) + "_g" + std::to_string(groups);
  l.op = groups > 1 ? OpType::DwConv : OpType::Conv;
  l.H = H, l.W = W, l.C = C, l.K = K, l.R = R, l.S = R;
  l.stride_h = l.stride_w = stride;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = pad;
  l.groups = groups;
  const quant::ConvGeom g = quant::conv_geom(l);
  l.out_h = g.out_h, l.out_w = g.out_w;
  return l;
}

Layer fc(int64_t C, int64_t K, int64_t batch) {
  Layer l;
  l.name = "fc_" + std::to_string(C) + "_" + std::to_string(K);
  l.op = OpType::Fc;
  l.C = C, l.K = K, l.batch = batch;
  return l;
}

struct Case {
  Layer layer;
  TensorI8 input, weights;
  std::vector<int32_t> bias;
  int32_t zp = -3;
  quant::Requant rq;
};

Case make_case(const Layer& l, uint64_t seed) {
  Case c;
  c.layer = l;
  const int64_t per = l.R * l.S * l.channels_per_group();
  c.weights = l.op == OpType::Fc ? random_tensor({l.K, per}, seed + 1)
                                 : random_tensor({l.K, l.R, l.S, l.channels_per_group()}, seed + 1);
  c.input =
      l.op == OpType::Fc ? random_tensor({l.batch, l.C}, seed + 2) : random_tensor({l.H, l.W, l.C}, seed + 2);
  Rng r(seed, "bias");
  for (int64_t k = 0; k < l.K; ++k) c.bias.push_back(static_cast<int32_t>(r.uniform(-5000, 5000)));
  std::vector<double> m;
  for (int64_t k = 0; k < l.K; ++k)
    m.push_back(0.3 / (128.0 * std::sqrt(static_cast<double>(per))) * (1 + 0.1 * (k % 3)));
  c.rq = quant::make_requant(m, 5, 8);
  return c;
}

LayerOperands operands(const Case& c) {
  LayerOperands o;
  o.layer = &c.layer;
  o.input = c.input;
  o.weights = c.weights;
  o.bias = c.bias;
  o.input_zero_point = c.zp;
  o.requant = c.rq;
  return o;
}

TensorI8 golden(const Case& c) {
  if (c.layer.op == OpType::Fc) return quant::fully_connected(c.input, c.weights, c.bias, c.zp, c.rq);
  return quant::conv2d(c.input, c.weights, c.bias, c.zp, quant::conv_geom(c.layer), c.rq);
}

CimConfig small_tiles(bool ideal) {
  CimConfig cfg;
  cfg.tile_rows = 64, cfg.tile_cols = 32;
  cfg.ideal = ideal;
  cfg.noise_programming = cfg.noise_drift = cfg.noise_read = !ideal;
  return cfg;
}

}  // namespace

TEST_CASE("A1: the ideal mode is the golden integer layer, bit for bit", "[cim][layer]") {
  const CimConfig cfg = small_tiles(true);
  const std::vector<Layer> layers = {
      conv(9, 7, 5, 7, 3, 2, 1, 1),     // im2col with padding (padded inputs drive the zero point)
      conv(6, 6, 12, 12, 3, 1, 1, 12),  // depthwise: block-diagonal, 7 blocks of 9 rows per 64-row tile
      conv(5, 5, 16, 40, 3, 1, 0, 1),   // 144 rows: 3 row splits; 40 channels: 2 column splits
      fc(150, 70, 3),                   // 3 row splits x 3 column splits, batch 3
  };
  for (size_t i = 0; i < layers.size(); ++i) {
    INFO(layers[i].name);
    const Case c = make_case(layers[i], 100 + i);
    const LayerAnalog analog(cfg, c.layer, c.weights, false);
    CHECK(analog.noise_free());
    const LayerWork w = prepare_work(cfg, analog, operands(c));
    for (const ChannelParams& p : w.channels) CHECK(p.m == 1 << kPeripheryFracBits);
    const LayerEval r = evaluate(analog, analog, w);
    CHECK(r.activity.adc_clips == 0);
    CHECK(r.out == golden(c).data);
  }
}

TEST_CASE("noise-free with the configured ADC: code = round(dot x scale / LSB), the same for every seed",
          "[cim][layer]") {
  CimConfig cfg = small_tiles(false);
  cfg.noise_programming = cfg.noise_drift = cfg.noise_read = false;
  const Case c = make_case(conv(6, 6, 8, 10, 3, 1, 1, 1), 7);
  const LayerAnalog a(cfg, c.layer, c.weights, false);
  cfg.seed = 99;
  const LayerAnalog b(cfg, c.layer, c.weights, false);
  const LayerWork w = prepare_work(cfg, a, operands(c));
  const LayerEval ra = evaluate(a, a, w), rb = evaluate(b, b, w);
  CHECK(ra.out == rb.out);
  CHECK(ra.code_sums == rb.code_sums);
  // One pixel by hand: 72 rows, 2 row splits of 64 and 8 rows.
  REQUIRE(a.splits() == 2);
  std::vector<int32_t> levels(static_cast<size_t>(w.n_in));
  for (int64_t i = 0; i < w.n_in; ++i) levels[static_cast<size_t>(i)] = w.rows[static_cast<size_t>(i)];
  for (int ch = 0; ch < 3; ++ch) {
    int32_t fs = 1;
    for (int64_t i = 0; i < w.n_in; ++i)
      fs = std::max<int32_t>(fs, std::abs(int32_t{c.weights.data[ch * w.n_in + i]}));
    const double lsb = cfg.adc_out_bound * cfg.g_max_us * 128.0 / 127.0;
    for (int s = 0; s < 2; ++s) {
      int64_t dot = 0;
      for (int64_t i = 64 * s; i < std::min<int64_t>(w.n_in, 64 * (s + 1)); ++i)
        dot += int64_t{levels[static_cast<size_t>(i)]} * c.weights.data[ch * w.n_in + i];
      CHECK(a.adc_code(levels, 0, ch, s) ==
            round_half_away(static_cast<double>(dot) * (cfg.g_max_us / fs) / lsb));
    }
  }
}

TEST_CASE("noisy reads are keyed by (pixel, channel, split): any call order, same seed, same code",
          "[cim][layer]") {
  CimConfig cfg = small_tiles(false);
  const Case c = make_case(fc(100, 20, 1), 3);
  const LayerAnalog a(cfg, c.layer, c.weights, false);
  const LayerAnalog again(cfg, c.layer, c.weights, false);
  std::vector<int32_t> levels(c.input.data.begin(), c.input.data.end());
  std::vector<int32_t> forward;
  for (int p = 0; p < 3; ++p)
    for (int ch = 0; ch < 20; ++ch)
      for (int s = 0; s < a.splits(); ++s) forward.push_back(a.adc_code(levels, p, ch, s));
  std::vector<int32_t> backward(forward.size());
  size_t i = forward.size();
  for (int p = 2; p >= 0; --p)
    for (int ch = 19; ch >= 0; --ch)
      for (int s = a.splits() - 1; s >= 0; --s) backward[--i] = again.adc_code(levels, p, ch, s);
  CHECK(forward == backward);
  // Read noise is fresh per pixel: the same levels read twice differ somewhere.
  int differ = 0;
  for (int ch = 0; ch < 20; ++ch) differ += a.adc_code(levels, 0, ch, 0) != a.adc_code(levels, 1, ch, 0);
  CHECK(differ > 0);
  cfg.seed = 2;
  const LayerAnalog other(cfg, c.layer, c.weights, false);
  int differ_seed = 0;
  for (int ch = 0; ch < 20; ++ch)
    differ_seed += a.adc_code(levels, 0, ch, 0) != other.adc_code(levels, 0, ch, 0);
  CHECK(differ_seed > 0);
}

TEST_CASE("a 4-bit DAC on int8 activations drops 4 bits and the periphery puts 2^4 back", "[cim][layer]") {
  CHECK(dac_level(127, 4, 8) == 8);
  CHECK(dac_level(-128, 4, 8) == -8);
  CHECK(dac_level(24, 4, 8) == 2);  // 1.5 rounds away from zero
  CHECK(dac_level(-24, 4, 8) == -2);
  CHECK(dac_level(-128, 0, 128) == -128);
  CimConfig cfg = small_tiles(false);
  cfg.noise_programming = cfg.noise_drift = cfg.noise_read = false;
  const Case c = make_case(fc(40, 4, 1), 5);
  const LayerAnalog full(cfg, c.layer, c.weights, false);
  cfg.dac_bits = 4, cfg.dac_shift = 4;
  const LayerAnalog four(cfg, c.layer, c.weights, false);
  // The ADC's full scale is in full-scale products (g_max x 2^(b-1) slots): with 8 slots instead of 128 one
  // code is 16x fewer products, and each level stands for 16 activation units, so one code is the same
  // number of accumulator units.
  CHECK(four.code_to_acc()[0] == Approx(full.code_to_acc()[0]));
  const LayerWork w = prepare_work(cfg, four, operands(c));
  CHECK(w.dac_shift == 4);
  CHECK(w.slots == 8);
}

TEST_CASE("a periphery factor beyond its Q16 register is an InputError naming the layer", "[cim][layer]") {
  CHECK(q16_factor(1.0, "l") == 65536);
  CHECK_THROWS_WITH(q16_factor(40000.0, "conv_7"), Catch::Contains("conv_7") && Catch::Contains("Q16"));
}
