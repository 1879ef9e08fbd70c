// gemmlowp fixed-point exp / reciprocal (sim/quant/fixed_point_math.h).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/quant/fixed_point_math.h"

using namespace npusim::quant;

namespace {
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
double q31(int32_t raw) {
  return raw / 2147483648.0;
}
}  // namespace

TEST_CASE("saturating_rounding_multiply_by_pot", "[quant][fixed_point_math]") {
  CHECK(saturating_rounding_multiply_by_pot(3, 2) == 12);
  CHECK(saturating_rounding_multiply_by_pot(-3, 2) == -12);
  CHECK(saturating_rounding_multiply_by_pot(1 << 29, 2) == kMax);  // 2^31 does not fit: saturates
  CHECK(saturating_rounding_multiply_by_pot(-(1 << 29), 2) == kMin);
  CHECK(saturating_rounding_multiply_by_pot((1 << 29) - 1, 2) == 2147483644);  // the largest that fits
  CHECK(saturating_rounding_multiply_by_pot(5, -1) == 3);                      // 2.5 -> 3
  CHECK(saturating_rounding_multiply_by_pot(-5, -1) == -3);                    // -2.5 -> -3
  CHECK(saturating_rounding_multiply_by_pot(7, 0) == 7);
  CHECK(rescale(1 << 20, 5, 0) == 1 << 25);  // Q5.26 -> Q0.31: x 2^5
  CHECK(rescale(kMax, 0, 12) == 524288);     // 1.0 in Q0.31 -> Q12.19 rounds to 2^19
}

TEST_CASE("rounding_half_sum rounds half away from zero", "[quant][fixed_point_math]") {
  CHECK(rounding_half_sum(1, 2) == 2);     // 1.5 -> 2
  CHECK(rounding_half_sum(-1, -2) == -2);  // -1.5 -> -2
  CHECK(rounding_half_sum(kMax, kMax) == kMax);
  CHECK(rounding_half_sum(0, kMax) == 1 << 30);
}

TEST_CASE("exp_on_negative_values", "[quant][fixed_point_math]") {
  CHECK(exp_on_negative_values(0, 5) == kMax);  // exactly "one"
  // Q5.26 arguments against std::exp: gemmlowp's polynomial is good to ~1e-6.
  for (double a : {-0.001, -0.1, -0.25, -0.5, -1.0, -2.0, -3.3, -7.9, -15.5, -31.9}) {
    const auto raw = static_cast<int32_t>(std::lround(a * (1 << 26)));
    INFO("a " << a);
    CHECK(std::abs(q31(exp_on_negative_values(raw, 5)) - std::exp(raw / 67108864.0)) < 2e-6);
  }
  // exp(-1) is exp(-1/4) from the Taylor part times the exp(-1/4) and exp(-1/2) barrel constants.
  CHECK(exp_on_negative_values(-(1 << 26), 5) == 790015308);
  // Below -32 with more than 5 integer bits the result is flushed to 0.
  CHECK(exp_on_negative_values(-(33 << 24), 7) == 0);
}

TEST_CASE("one_over_one_plus_x and get_reciprocal", "[quant][fixed_point_math]") {
  CHECK(std::abs(q31(one_over_one_plus_x_for_x_in_0_1(1 << 30)) - 1 / 1.5) < 3e-9);
  CHECK(std::abs(q31(one_over_one_plus_x_for_x_in_0_1(0)) - 1.0) < 1e-9);
  int bits = 0;
  // 1.0 in Q12.19: reciprocal ~1.0 with no extra power of two.
  CHECK(get_reciprocal(1 << 19, 12, &bits) == kMax);
  CHECK(bits == 0);
  // 3.0 = 1.5 * 2^1: 1/3 = (1 / 1.5) * 2^-1, i.e. mantissa 2/3 and one bit over unit.
  const int32_t r = get_reciprocal(3 << 19, 12, &bits);
  CHECK(bits == 1);
  CHECK(std::abs(q31(r) - 2.0 / 3.0) < 3e-9);
}
