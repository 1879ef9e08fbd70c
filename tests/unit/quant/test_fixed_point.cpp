// TFLite/gemmlowp fixed-point arithmetic, checked against hand-computed values.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/fixed_point.h"

using namespace npusim::quant;

namespace {
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = int32_t{1} << 30;  // 0.5 in Q31
}  // namespace

TEST_CASE("saturating_rounding_doubling_high_mul", "[quant][fixed_point]") {
  // The single overflow case: -1.0 * -1.0 = +1.0 is not representable in Q31.
  CHECK(saturating_rounding_doubling_high_mul(kMin, kMin) == kMax);
  // 0.5 * 0.5 = 0.25 = 2^29 in Q31.
  CHECK(saturating_rounding_doubling_high_mul(kHalf, kHalf) == (1 << 29));
  // -1.0 * (1 - 2^-31) = -(2^31 - 1) in Q31.
  CHECK(saturating_rounding_doubling_high_mul(kMin, kMax) == -kMax);
  CHECK(saturating_rounding_doubling_high_mul(kMax, kMax) == kMax - 1);  // (1-e)^2 = 1 - 2e + e^2 -> 2^31-2
  // Integer times Q31: 100 * 0.5 = 50, -100 * 0.5 = -50.
  CHECK(saturating_rounding_doubling_high_mul(100, kHalf) == 50);
  CHECK(saturating_rounding_doubling_high_mul(-100, kHalf) == -50);
  // Ties go toward +inf: 1 * 0.5 = 0.5 -> 1, -1 * 0.5 = -0.5 -> 0, -3 * 0.5 = -1.5 -> -1.
  CHECK(saturating_rounding_doubling_high_mul(1, kHalf) == 1);
  CHECK(saturating_rounding_doubling_high_mul(-1, kHalf) == 0);
  CHECK(saturating_rounding_doubling_high_mul(-3, kHalf) == -1);
  // Non-ties round to nearest: 0.75 * 3 = 2.25 -> 2, 0.75 * -3 = -2.25 -> -2.
  CHECK(saturating_rounding_doubling_high_mul(3, 1610612736) == 2);
  CHECK(saturating_rounding_doubling_high_mul(-3, 1610612736) == -2);
  CHECK(saturating_rounding_doubling_high_mul(0, kMin) == 0);
}

TEST_CASE("rounding_divide_by_pot rounds half away from zero", "[quant][fixed_point]") {
  CHECK(rounding_divide_by_pot(5, 1) == 3);    // 2.5 -> 3
  CHECK(rounding_divide_by_pot(-5, 1) == -3);  // -2.5 -> -3
  CHECK(rounding_divide_by_pot(3, 1) == 2);    // 1.5 -> 2
  CHECK(rounding_divide_by_pot(-3, 1) == -2);  // -1.5 -> -2 (C's -3 / 2 truncates to -1)
  CHECK(rounding_divide_by_pot(-1, 1) == -1);  // -0.5 -> -1
  CHECK(rounding_divide_by_pot(1, 1) == 1);    // 0.5 -> 1 (plain >> gives 0)
  CHECK(rounding_divide_by_pot(6, 2) == 2);    // 1.5 -> 2
  CHECK(rounding_divide_by_pot(-6, 2) == -2);  // -1.5 -> -2
  CHECK(rounding_divide_by_pot(7, 2) == 2);    // 1.75 -> 2
  CHECK(rounding_divide_by_pot(-7, 2) == -2);  // -1.75 -> -2
  CHECK(rounding_divide_by_pot(5, 2) == 1);    // 1.25 -> 1
  CHECK(rounding_divide_by_pot(-5, 2) == -1);  // -1.25 -> -1 (plain >> gives -2)
  CHECK(rounding_divide_by_pot(12345, 0) == 12345);
  CHECK(rounding_divide_by_pot(-12345, 0) == -12345);
  CHECK(rounding_divide_by_pot(kMin, 31) == -1);        // -2^31 / 2^31
  CHECK(rounding_divide_by_pot(kMax, 31) == 1);         // (2^31 - 1) / 2^31 ~ 1
  CHECK(rounding_divide_by_pot(1 << 30, 31) == 1);      // 0.5 -> 1
  CHECK(rounding_divide_by_pot(-(1 << 30), 31) == -1);  // -0.5 -> -1
  CHECK_THROWS(rounding_divide_by_pot(1, -1));
  CHECK_THROWS(rounding_divide_by_pot(1, 32));
}

TEST_CASE("multiply_by_quantized_multiplier", "[quant][fixed_point]") {
  // 0.5 = (2^30, shift 0); 0.25 = (2^30, shift -1); 0.75 = (1610612736, 0).
  CHECK(multiply_by_quantized_multiplier(100, kHalf, 0) == 50);
  CHECK(multiply_by_quantized_multiplier(100, kHalf, -1) == 25);
  CHECK(multiply_by_quantized_multiplier(1000, 1610612736, 0) == 750);
  CHECK(multiply_by_quantized_multiplier(-1000, 1610612736, 0) == -750);
  CHECK(multiply_by_quantized_multiplier(1001, 1610612736, 0) == 751);  // 750.75
  // 3 * 0.25: SRDHM(3, 0.5) = round(1.5) = 2, then 2 >> 1 = 1 (rounded) -> 1 (0.75 -> 1).
  CHECK(multiply_by_quantized_multiplier(3, kHalf, -1) == 1);
  // -6 * 0.25: SRDHM = -3 exactly, then -3 / 2 = -1.5 -> -2.
  CHECK(multiply_by_quantized_multiplier(-6, kHalf, -1) == -2);
  // 1.5 = (1610612736, shift 1): 7 * 1.5 = (7 << 1) * 0.75 = 10.5 -> 11.
  CHECK(multiply_by_quantized_multiplier(7, 1610612736, 1) == 11);
  // Left shift happens before the multiply: 1 * 1.25 with 1.25 = (0.625 * 2^31, shift 1) is
  // SRDHM(2, 0.625) = round(1.25) = 1; multiplying first would give round(0.625) << 1 = 2.
  CHECK(multiply_by_quantized_multiplier(1, 1342177280, 1) == 1);
  // Large right shift: 2^20 * 0.5 * 2^-19 = 1.
  CHECK(multiply_by_quantized_multiplier(1 << 20, kHalf, -19) == 1);
  // Saturation inside SRDHM.
  CHECK(multiply_by_quantized_multiplier(kMin, kMin, 0) == kMax);

  // Against double arithmetic: within one unit of round(x * real) for assorted multipliers.
  npusim::Rng rng(1, "mbqm");
  for (double real : {0.0123, 0.3, 0.5, 0.999, 1.0, 1.7, 3.25, 100.0}) {
    int32_t m = 0;
    int shift = 0;
    quantize_multiplier(real, &m, &shift);
    for (int i = 0; i < 2000; ++i) {
      const auto x = static_cast<int32_t>(rng.uniform(-1000000, 1000000));
      const double expect = std::round(static_cast<double>(x) * real);
      INFO("real " << real << " x " << x);
      CHECK(std::abs(multiply_by_quantized_multiplier(x, m, shift) - expect) <= 1.0);
    }
  }
}

TEST_CASE("quantize_multiplier matches TFLite QuantizeMultiplier", "[quant][fixed_point]") {
  int32_t m = -1;
  int shift = -100;
  auto q = [&](double real) { quantize_multiplier(real, &m, &shift); };

  q(0.5);  // frexp(0.5) = 0.5 * 2^0
  CHECK(m == kHalf);
  CHECK(shift == 0);
  q(0.25);  // 0.5 * 2^-1
  CHECK(m == kHalf);
  CHECK(shift == -1);
  q(1.0);  // 0.5 * 2^1
  CHECK(m == kHalf);
  CHECK(shift == 1);
  q(2.0);  // 0.5 * 2^2
  CHECK(m == kHalf);
  CHECK(shift == 2);
  q(0.75);  // 0.75 * 2^0, 0.75 * 2^31 = 1610612736
  CHECK(m == 1610612736);
  CHECK(shift == 0);
  q(1e-12);  // ~2^-39.9: exponent < -31 flushes to zero
  CHECK(m == 0);
  CHECK(shift == 0);
  q(0.0);
  CHECK(m == 0);
  CHECK(shift == 0);
  q(std::ldexp(1.0, -32));  // 0.5 * 2^-31: the smallest exponent that is kept
  CHECK(m == kHalf);
  CHECK(shift == -31);
  q(std::ldexp(1.0, -33));  // 0.5 * 2^-32: flushed
  CHECK(m == 0);
  CHECK(shift == 0);
  // Mantissa that rounds up to 2^31: 1 - 2^-40 = (1 - 2^-40) * 2^0 -> 2^31 -> halved, shift + 1.
  q(1.0 - std::ldexp(1.0, -40));
  CHECK(m == kHalf);
  CHECK(shift == 1);
  q(-0.75);  // TFLite keeps the sign in the mantissa
  CHECK(m == -1610612736);
  CHECK(shift == 0);

  CHECK_THROWS_AS(q(std::nan("")), npusim::InputError);
  CHECK_THROWS_AS(q(std::numeric_limits<double>::infinity()), npusim::InputError);
}

TEST_CASE("single rounding (TFLITE_SINGLE_ROUNDING) against double rounding", "[quant][fixed_point]") {
  const auto S = Rounding::Single, D = Rounding::Double;
  // -2 * 0.25 = -0.5: single rounds ties up (0), double's second rounding goes away from zero (-1).
  CHECK(multiply_by_quantized_multiplier(-2, kHalf, -1, S) == 0);
  CHECK(multiply_by_quantized_multiplier(-2, kHalf, -1, D) == -1);
  // 3 * 0.125 = 0.375: double rounds 1.5 -> 2 first, then 2 / 4 = 0.5 -> 1; single gives 0.
  CHECK(multiply_by_quantized_multiplier(3, kHalf, -2, S) == 0);
  CHECK(multiply_by_quantized_multiplier(3, kHalf, -2, D) == 1);
  // Agreement away from ties: 1000 * 0.75 = 750, 7 * 1.5 = 10.5 -> 11 (tie up), -7 * 1.5 -> -10 (tie up).
  CHECK(multiply_by_quantized_multiplier(1000, 1610612736, 0, S) == 750);
  CHECK(multiply_by_quantized_multiplier(7, 1610612736, 1, S) == 11);
  CHECK(multiply_by_quantized_multiplier(-7, 1610612736, 1, S) == -10);
  CHECK(multiply_by_quantized_multiplier(-7, 1610612736, 1, D) == -10);
  // The double overload is the plain one.
  CHECK(multiply_by_quantized_multiplier(-6, kHalf, -1, D) ==
        multiply_by_quantized_multiplier(-6, kHalf, -1));
  // Single rounding saturates instead of overflowing (TFLite only DCHECKs the range).
  CHECK(multiply_by_quantized_multiplier(kMax, kMax, 30, S) == kMax);
  CHECK(multiply_by_quantized_multiplier(kMin, kMax, 30, S) == kMin);
  CHECK_THROWS(multiply_by_quantized_multiplier(1, kHalf, 31, S));
  CHECK_THROWS(multiply_by_quantized_multiplier(1, kHalf, -32, S));
  // Within one unit of the exact product for random operands (single rounding is exact to 0.5).
  npusim::Rng rng(3, "single");
  for (int i = 0; i < 5000; ++i) {
    const auto x = static_cast<int32_t>(rng.uniform(-1000000, 1000000));
    const auto m = static_cast<int32_t>(rng.uniform(kHalf, kMax));
    const int shift = static_cast<int>(rng.uniform(-20, 0));
    const double exact = std::ldexp(static_cast<double>(x) * m, shift - 31);
    CHECK(std::abs(multiply_by_quantized_multiplier(x, m, shift, S) - exact) <= 0.5);
  }
}

TEST_CASE("quantize_multiplier under single rounding clamps shifts above 30", "[quant][fixed_point]") {
  int32_t m = 0;
  int shift = 0;
  quantize_multiplier(std::ldexp(1.0, 31), &m, &shift, Rounding::Double);  // 0.5 * 2^32
  CHECK(m == kHalf);
  CHECK(shift == 32);
  quantize_multiplier(std::ldexp(1.0, 31), &m, &shift, Rounding::Single);
  CHECK(m == kMax);
  CHECK(shift == 30);
  quantize_multiplier(0.75, &m, &shift, Rounding::Single);  // unaffected below the limit
  CHECK(m == 1610612736);
  CHECK(shift == 0);
}

TEST_CASE("rounding names", "[quant][fixed_point]") {
  CHECK(parse_rounding("double") == Rounding::Double);
  CHECK(parse_rounding("single") == Rounding::Single);
  CHECK(std::string(rounding_name(Rounding::Single)) == "single");
  CHECK_THROWS_AS(parse_rounding("Single"), npusim::InputError);
}
