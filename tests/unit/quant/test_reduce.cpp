// Golden int8 MEAN: the current reference kernel and the two H,W special cases.
#include <catch2/catch.hpp>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/reduce.h"

using namespace npusim;
using namespace npusim::quant;

namespace {
TensorI8 nhwc(std::vector<int8_t> v, int64_t h, int64_t w, int64_t c) {
  TensorI8 t({1, h, w, c});
  t.data = std::move(v);
  return t;
}
}  // namespace

TEST_CASE("axes and reduced shapes", "[quant][reduce]") {
  CHECK(resolve_axes({1, -2, 2}, 4) == std::vector<int>{1, 2});
  CHECK_THROWS_AS(resolve_axes({4}, 4), InputError);
  CHECK(reduced_shape({1, 5, 5, 8}, {1, 2}, true) == std::vector<int64_t>{1, 1, 1, 8});
  CHECK(reduced_shape({1, 5, 5, 8}, {1, 2}, false) == std::vector<int64_t>{1, 8});
}

TEST_CASE("MEAN reference kernel: 1/n folded into the multiplier", "[quant][reduce]") {
  // {1, 2, 3, 5} over H, W with unit scales: 11 / 4 = 2.75 -> 3 in every variant.
  const TensorI8 x = nhwc({1, 2, 3, 5}, 2, 2, 1);
  CHECK(mean_int8_reference(x, {1, 2}, true, 1.0f, 0, 1.0f, 0).data == std::vector<int8_t>{3});
  CHECK(mean_int8_hw_legacy(x, 1.0f, 0, 1.0f, 0).data == std::vector<int8_t>{3});
  CHECK(mean_int8_hw_optimized(x, 1.0f, 0, 1.0f, 0).data == std::vector<int8_t>{3});
  // Negative ties: {-1, -2, -3, -4} = -2.5 -> -3 (away from zero).
  CHECK(mean_int8_reference(nhwc({-1, -2, -3, -4}, 2, 2, 1), {1, 2}, false, 1.0f, 0, 1.0f, 0).data ==
        std::vector<int8_t>{-3});
  // Over the channel axis of [1][1][2][3] and output requantization 0.5 -> 1, zp 2 -> -1.
  TensorI8 y({1, 1, 2, 3});
  y.data = {2, 4, 6, 8, 10, 12};
  const TensorI8 m = mean_int8_reference(y, {-1}, false, 0.5f, 2, 1.0f, -1);
  CHECK(m.shape == std::vector<int64_t>{1, 1, 2});
  CHECK(m.data == std::vector<int8_t>{0, 3});  // (4 - 2) * 0.5 = 1 -> 0; (10 - 2) * 0.5 = 4 -> 3
}

TEST_CASE("MEAN variants differ where their roundings do", "[quant][reduce]") {
  // {0, 0, 2} * 0.7 / 3 = 0.467. Reference: (0.7 << 1) / 3 then a doubly rounded product 0.93 -> 1
  // -> 0.5 -> 1. Legacy (TF <= 2.13 reference): 2 * 0.7 = 1.4 -> 1, then (1 + 1) / 3 = 0.
  const TensorI8 x = nhwc({0, 0, 2}, 1, 3, 1);
  CHECK(mean_int8_reference(x, {1, 2}, true, 0.7f, 0, 1.0f, 0)[0] == 1);
  CHECK(mean_int8_hw_legacy(x, 0.7f, 0, 1.0f, 0)[0] == 0);
  CHECK(mean_int8_hw_optimized(x, 0.7f, 0, 1.0f, 0)[0] == 1);
  // The optimized kernel rounds the zero-point term on its own: {2, 2, 2, 2} with zp 1, scale 0.5 is
  // a real 0.5. Reference: (8 - 4) * 0.5 / 4 -> 1. Optimized: 8 / 8 = 1, bias 0 - round(0.5) = -1 -> 0.
  const TensorI8 z = nhwc({2, 2, 2, 2}, 2, 2, 1);
  CHECK(mean_int8_reference(z, {1, 2}, true, 0.5f, 1, 1.0f, 0)[0] == 1);
  CHECK(mean_int8_hw_legacy(z, 0.5f, 1, 1.0f, 0)[0] == 1);
  CHECK(mean_int8_hw_optimized(z, 0.5f, 1, 1.0f, 0)[0] == 0);
  CHECK_THROWS_AS(mean_int8_hw_legacy(TensorI8({2, 2}), 1.0f, 0, 1.0f, 0), InputError);
}
