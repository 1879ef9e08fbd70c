// Weights as differential conductance pairs, scaled per output channel: the slices of a plan give back
// the integer dot products of the layer exactly (noise-free targets).
#include <catch2/catch.hpp>
#include <cmath>

#include "models/cim/weight_programming.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

Layer layer(OpType op, int64_t C, int64_t K, int64_t R, int64_t S, int64_t groups) {
  Layer l;
  l.name = "w";
  l.source = "t.csv:2";
  l.op = op;
  l.C = C;
  l.K = K;
  l.R = R;
  l.S = S;
  l.groups = groups;
  return l;
}

TensorI8 weights_of(const Layer& l) {
  TensorI8 w({l.K, l.R, l.S, l.channels_per_group()});
  for (int64_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>((i * 37 + 11) % 255 - 127);
  return w;
}

// For every column: sum over the plan's slices of (G+ - G-) x / scale equals the integer dot product.
void check_plan(const CimConfig& cfg, const Layer& l) {
  const TensorI8 w = weights_of(l);
  const TilePlan plan = map_layer(cfg, l);
  const std::vector<double> scales = channel_scales_us(cfg, l, w);
  std::vector<int64_t> x(static_cast<size_t>(plan.weight_rows));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int64_t>(i * 13 % 255) - 128;
  std::vector<double> analog(static_cast<size_t>(l.K), 0.0);
  for (const TileSlice& s : plan.slices) {
    const SliceConductances g = target_conductances(l, w, s, scales);
    for (int64_t i = 0; i < s.rows; ++i)
      for (int64_t j = 0; j < s.cols; ++j) {
        const size_t at = static_cast<size_t>(i * s.cols + j);
        CHECK((g.g_plus[at] == kGMinUs || g.g_minus[at] == kGMinUs));  // one device of the pair at g_min
        CHECK(std::max(g.g_plus[at], g.g_minus[at]) <= cfg.g_max_us + 1e-12);
        analog[static_cast<size_t>(s.w_col0 + j)] +=
            (g.g_plus[at] - g.g_minus[at]) * static_cast<double>(x[static_cast<size_t>(s.w_row0 + i)]);
      }
  }
  for (int64_t k = 0; k < l.K; ++k) {
    int64_t exact = 0;
    for (int64_t r = 0; r < plan.weight_rows; ++r) exact += weight_at(l, w, r, k) * x[static_cast<size_t>(r)];
    CHECK(analog[static_cast<size_t>(k)] / scales[static_cast<size_t>(k)] == Approx(exact).margin(1e-6));
  }
}

}  // namespace

TEST_CASE("weights: per-channel scale puts the largest |w| at g_max", "[weights]") {
  CimConfig cfg;
  const Layer l = layer(OpType::Fc, 3, 2, 1, 1, 1);
  TensorI8 w({2, 3});
  w.data = {10, -20, 5, 0, 0, 0};
  const std::vector<double> s = channel_scales_us(cfg, l, w);
  CHECK(s[0] == Approx(25.0 / 20));
  CHECK(s[1] == Approx(25.0));  // an all-zero channel: any scale, no division by zero
  TileSlice slice{0, 0, 3, 0, 2, 0, 0, 1, 6};
  const SliceConductances g = target_conductances(l, w, slice, s);
  CHECK(g.g_plus == std::vector<double>{12.5, 0, 0, 0, 6.25, 0});
  CHECK(g.g_minus == std::vector<double>{0, 0, 25.0, 0, 0, 0});
  test::check_message(test::input_error([&] { channel_scales_us(cfg, layer(OpType::Fc, 4, 2, 1, 1, 1), w); }),
                      {"t.csv:2", "layer 'w'", "have 6 elements", "= 8"});
}

TEST_CASE("weights: slices reproduce the integer dot products (conv with splits, depthwise, grouped)",
          "[weights]") {
  CimConfig small;
  small.tile_rows = 16;
  small.tile_cols = 8;
  check_plan(small, layer(OpType::Conv, 4, 10, 3, 3, 1));   // 3 x 2 splits
  check_plan(small, layer(OpType::DwConv, 5, 5, 2, 2, 5));  // diagonal packing over 2 tiles
  check_plan(small, layer(OpType::DwConv, 3, 3, 5, 5, 3));  // each channel split over rows
  check_plan(small, layer(OpType::Conv, 8, 6, 1, 1, 2));    // grouped, packed
  check_plan(CimConfig{}, layer(OpType::DwConv, 64, 64, 3, 3, 64));
}
