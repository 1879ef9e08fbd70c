#include "sim/quant/fixed_point_math.h"

#include <limits>
#include <stdexcept>
#include <string>

#include "sim/quant/fixed_point.h"

namespace npusim::quant {
namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

// gemmlowp's Add / Sub on int32 are plain C++ adds; wrap in unsigned so an overflow (which gemmlowp
// never reaches on its own constants) is defined here.
int32_t wrap_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t wrap_sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
int32_t mul(int32_t a, int32_t b) {
  return saturating_rounding_doubling_high_mul(a, b);
}

}  // namespace

int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent < -31 || exponent > 30) {
    throw std::invalid_argument("saturating_rounding_multiply_by_pot: exponent " + std::to_string(exponent) +
                                " outside [-31, 30]");
  }
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = int64_t{a} + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  constexpr int32_t kConstantTerm = 1895147668;  // exp(-1/8) in Q0.31
  constexpr int32_t kOneThird = 715827883;       // 1/3 in Q0.31
  // Taylor expansion around -1/8: x = a + 1/8.
  const int32_t x = wrap_add(a, int32_t{1} << 28);
  const int32_t x2 = mul(x, x);
  const int32_t x3 = mul(x2, x);
  const int32_t x4 = mul(x2, x2);
  const int32_t x4_over_4 = saturating_rounding_multiply_by_pot(x4, -2);
  const int32_t poly =
      saturating_rounding_multiply_by_pot(wrap_add(mul(wrap_add(x4_over_4, x3), kOneThird), x2), -1);
  return wrap_add(kConstantTerm, mul(kConstantTerm, wrap_add(x, poly)));
}

int32_t exp_on_negative_values(int32_t a, int integer_bits) {
  if (integer_bits < 0 || integer_bits > 30) {
    throw std::invalid_argument("exp_on_negative_values: integer_bits " + std::to_string(integer_bits) +
                                " outside [0, 30]");
  }
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = int32_t{1} << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = wrap_sub(a & mask, one_quarter);
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = wrap_sub(a_mod_quarter_minus_one_quarter, a);
  // Barrel shifter: multiply by exp(-2^k) for every bit of the whole-quarters remainder.
  struct Step {
    int exponent;
    int32_t multiplier;  // exp(-2^exponent) in Q0.31
  };
  constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                             {2, 39332535},    {3, 720401},      {4, 242}};
  for (const Step& s : kSteps) {
    if (integer_bits > s.exponent) {
      const int shift = fractional_bits + s.exponent;
      if (remainder & static_cast<int32_t>(uint32_t{1} << shift)) result = mul(result, s.multiplier);
    }
  }
  if (integer_bits > 5) {  // below -32 the result is flushed to 0
    const int32_t clamp = -(int32_t{1} << (36 - integer_bits));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = kInt32Max;
  return result;
}

int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  constexpr int32_t kOneQ229 = int32_t{1} << 29;                     // 1.0 in Q2.29
  constexpr int32_t k48Over17 = 1515870810;                          // 48/17 in Q2.29
  constexpr int32_t kNeg32Over17 = -1010580540;                      // -32/17 in Q2.29
  const int32_t half_denominator = rounding_half_sum(a, kInt32Max);  // (1 + a) / 2 in Q0.31
  int32_t x = wrap_add(k48Over17, mul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = mul(half_denominator, x);
    const int32_t one_minus = wrap_sub(kOneQ229, half_denominator_times_x);
    x = wrap_add(x, rescale(mul(x, one_minus), 4, 2));  // Q2 * Q2 = Q4, back to Q2
  }
  // x / 2 as Q1.30 (the same raw value), then to Q0.31.
  return rescale(x, 1, 0);
}

int32_t get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const auto ux = static_cast<uint32_t>(x);
  const int headroom_plus_one = ux == 0 ? 32 : __builtin_clz(ux);
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const uint32_t shifted = headroom_plus_one >= 32 ? 0u : (ux << headroom_plus_one);
  const auto shifted_sum_minus_one = static_cast<int32_t>(shifted - (uint32_t{1} << 31));
  return one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

}  // namespace npusim::quant
