// Golden max / average pooling: hand-computed windows clipped by padding and rounding ties.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/common/error.h"
#include "sim/quant/pool.h"

using namespace npusim;
using namespace npusim::quant;

namespace {

ConvGeom pool_geom(int64_t H, int64_t W, int64_t C, int64_t R, int64_t S, int64_t stride, int64_t pt, int64_t pb,
                   int64_t pl, int64_t pr) {
  ConvGeom g;
  g.H = H, g.W = W, g.C = g.K = C, g.R = R, g.S = S;
  g.stride_h = g.stride_w = stride;
  g.pad_top = pt, g.pad_bottom = pb, g.pad_left = pl, g.pad_right = pr;
  return finalize_geom(g, "test");
}

TensorI8 tensor(std::vector<int64_t> shape, std::vector<int8_t> values) {
  TensorI8 t(std::move(shape));
  t.data = std::move(values);
  return t;
}

}  // namespace

TEST_CASE("rounded_average rounds half away from zero", "[quant][pool]") {
  CHECK(rounded_average(5, 2) == 3);    // 2.5
  CHECK(rounded_average(-5, 2) == -3);  // -2.5
  CHECK(rounded_average(7, 2) == 4);    // 3.5
  CHECK(rounded_average(-7, 2) == -4);
  CHECK(rounded_average(4, 3) == 1);    // 1.33
  CHECK(rounded_average(5, 3) == 2);    // 1.67
  CHECK(rounded_average(-4, 3) == -1);
  CHECK(rounded_average(-5, 3) == -2);
  CHECK(rounded_average(0, 4) == 0);
  CHECK(rounded_average(1, 4) == 0);    // 0.25
  CHECK(rounded_average(2, 4) == 1);    // 0.5
  CHECK(rounded_average(-2, 4) == -1);  // -0.5
}

TEST_CASE("avg_pool ties in a full window", "[quant][pool]") {
  // 1x2 window over a 1x2 input with 2 channels: channel 0 sums 2+3 = 5 -> 3, channel 1 sums
  // -2-3 = -5 -> -3.
  const ConvGeom g = pool_geom(1, 2, 2, 1, 2, 1, 0, 0, 0, 0);
  const TensorI8 x = tensor({1, 2, 2}, {2, -2, 3, -3});
  const TensorI8 y = avg_pool(x, g);
  CHECK(y.shape == std::vector<int64_t>{1, 1, 2});
  CHECK(y.data == std::vector<int8_t>{3, -3});
}

TEST_CASE("avg_pool divides by the in-bounds count when padding clips the window", "[quant][pool]") {
  // 3x3 window, stride 1, pad 1 on a 3x3 input x = [[1,2,3],[4,5,6],[7,8,9]]; channel 1 = -x.
  const ConvGeom g = pool_geom(3, 3, 2, 3, 3, 1, 1, 1, 1, 1);
  TensorI8 x({3, 3, 2});
  for (int i = 0; i < 9; ++i) {
    x[2 * i] = static_cast<int8_t>(i + 1);
    x[2 * i + 1] = static_cast<int8_t>(-(i + 1));
  }
  const TensorI8 y = avg_pool(x, g);
  REQUIRE(y.shape == std::vector<int64_t>{3, 3, 2});
  // (0,0): 1+2+4+5 = 12 / 4 = 3           (0,1): 1+2+3+4+5+6 = 21 / 6 = 3.5 -> 4
  // (0,2): 2+3+5+6 = 16 / 4 = 4           (1,0): 1+2+4+5+7+8 = 27 / 6 = 4.5 -> 5
  // (1,1): 45 / 9 = 5                     (1,2): 2+3+5+6+8+9 = 33 / 6 = 5.5 -> 6
  // (2,0): 4+5+7+8 = 24 / 4 = 6           (2,1): 4+5+6+7+8+9 = 39 / 6 = 6.5 -> 7
  // (2,2): 5+6+8+9 = 28 / 4 = 7
  const std::vector<int8_t> pos = {3, 4, 4, 5, 5, 6, 6, 7, 7};
  for (int i = 0; i < 9; ++i) {
    INFO("output " << i);
    CHECK(y[2 * i] == pos[static_cast<size_t>(i)]);
    CHECK(y[2 * i + 1] == -pos[static_cast<size_t>(i)]);  // ties round away from zero on both sides
  }
  // Clamp to a narrower activation range.
  const TensorI8 yc = avg_pool(x, g, -4, 5);
  CHECK(yc[2 * 8] == 5);       // 7 clamped
  CHECK(yc[2 * 8 + 1] == -4);  // -7 clamped
}

TEST_CASE("max_pool ignores padding", "[quant][pool]") {
  // All-negative input: if padding counted as 0 (or as the zero point), edge outputs would be 0.
  // 2x2 window, stride 2, pad bottom/right 1 on a 3x3 input -> 2x2 output.
  const ConvGeom g = pool_geom(3, 3, 1, 2, 2, 2, 0, 1, 0, 1);
  REQUIRE(g.out_h == 2);
  REQUIRE(g.out_w == 2);
  const TensorI8 x = tensor({3, 3, 1}, {-9, -8, -7,  //
                                        -6, -5, -4,  //
                                        -3, -2, -1});
  // (0,0): max(-9,-8,-6,-5) = -5   (0,1): max(-7,-4) = -4   (1,0): max(-3,-2) = -2   (1,1): -1
  CHECK(max_pool(x, g).data == std::vector<int8_t>{-5, -4, -2, -1});
  // act range clamp: [-3, 127] lifts -5 and -4 to -3.
  CHECK(max_pool(x, g, -3, 127).data == std::vector<int8_t>{-3, -3, -2, -1});
}

TEST_CASE("max_pool 3x3 stride 2 pad 1 over channels", "[quant][pool]") {
  // ResNet stem pooling shape on a tiny 4x4x2 input; channel 1 = -channel 0.
  const ConvGeom g = pool_geom(4, 4, 2, 3, 3, 2, 1, 1, 1, 1);
  REQUIRE(g.out_h == 2);
  TensorI8 x({4, 4, 2});
  for (int i = 0; i < 16; ++i) {
    x[2 * i] = static_cast<int8_t>(i);  // x[h][w] = 4h + w
    x[2 * i + 1] = static_cast<int8_t>(-i);
  }
  // Window rows/cols for output o: [2o-1, 2o+1] clipped to [0, 3].
  // ch0 max is the bottom-right in-bounds element: (0,0) -> x[1][1] = 5, (0,1) -> x[1][3] = 7,
  // (1,0) -> x[3][1] = 13, (1,1) -> x[3][3] = 15. ch1 max is the top-left: x[0][0], x[0][1], x[1][0], x[1][1].
  CHECK(max_pool(x, g).data == std::vector<int8_t>{5, 0, 7, -1, 13, -4, 15, -5});
}

TEST_CASE("pooling rejects bad inputs", "[quant][pool]") {
  const ConvGeom g = pool_geom(3, 3, 2, 2, 2, 1, 0, 0, 0, 0);
  CHECK_THROWS_AS(max_pool(TensorI8({3, 3, 1}), g), InputError);
  CHECK_THROWS_AS(avg_pool(TensorI8({3, 3, 2}), g, 5, 4), InputError);
  // Padding as large as the window: the first window sees no input at all.
  const ConvGeom all_pad = pool_geom(3, 3, 1, 2, 2, 1, 2, 0, 0, 0);
  CHECK_THROWS_WITH(avg_pool(TensorI8({3, 3, 1}), all_pad), Catch::Contains("padding"));
}
