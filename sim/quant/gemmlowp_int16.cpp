#include "sim/quant/gemmlowp_int16.h"

#include <stdexcept>
#include <string>

#include "sim/quant/fixed_point.h"

namespace npusim::quant {

namespace {

// int16 results of int arithmetic wrap, as gemmlowp's Add / Sub / Neg do when stored back to int16.
int16_t wrap16(int32_t v) {
  return static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(v)));
}
int16_t add(int16_t a, int16_t b) {
  return wrap16(int32_t{a} + b);
}
int16_t sub(int16_t a, int16_t b) {
  return wrap16(int32_t{a} - b);
}
int16_t neg(int16_t a) {
  return wrap16(-int32_t{a});
}

int16_t saturating_add(int16_t a, int16_t b) {
  const int32_t s = int32_t{a} + b;
  return static_cast<int16_t>(s > 32767 ? 32767 : (s < -32768 ? -32768 : s));
}

// Fixed-point product a * b / 2^15, rounded to nearest (ties toward +inf); -1 * -1 saturates.
int16_t mul(int16_t a, int16_t b) {
  if (a == b && a == -32768) return 32767;
  const int32_t ab = int32_t{a} * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));  // truncating division, as gemmlowp
}

// x / 2^e rounded half away from zero (gemmlowp RoundingDivideByPOT in int16).
int16_t rounding_shift_right(int16_t x, int e) {
  const int32_t mask = (1 << e) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return wrap16((x >> e) + (remainder > threshold ? 1 : 0));
}

// x * 2^e saturated to int16 (gemmlowp's threshold test, then the shift).
int16_t saturating_shift_left(int16_t x, int e) {
  const int32_t threshold = (1 << (15 - e)) - 1;
  if (x > threshold) return 32767;
  if (x < -threshold) return -32768;
  return static_cast<int16_t>(int32_t{x} * (1 << e));
}

// gemmlowp SaturatingRoundingMultiplyByPOT: Rescale between formats by 2^exponent.
int16_t multiply_by_pot(int16_t x, int exponent) {
  if (exponent > 0) return saturating_shift_left(x, exponent);
  if (exponent < 0) return rounding_shift_right(x, -exponent);
  return x;
}

int16_t rounding_half_sum(int16_t a, int16_t b) {
  const int32_t sum = int32_t{a} + b;
  return static_cast<int16_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// gemmlowp writes constants as 32-bit raw values; the 16-bit type keeps their rounded top half.
int16_t constant16(int32_t raw32) {
  return static_cast<int16_t>(rounding_divide_by_pot(raw32, 16));
}

constexpr int16_t kOneQ15 = 32767;  // FixedPoint<int16, 0>::One()

// exp(a) for a in [-1/4, 0), a in Q0.15: Taylor expansion around -1/8.
int16_t exp_on_quarter_interval(int16_t a) {
  const int16_t constant_term = constant16(1895147668);  // exp(-1/8)
  const int16_t one_third = constant16(715827883);
  const int16_t x = add(a, int16_t{1 << 12});  // a + 1/8
  const int16_t x2 = mul(x, x);
  const int16_t x3 = mul(x2, x);
  const int16_t x4 = mul(x2, x2);
  const int16_t x4_over_4 = multiply_by_pot(x4, -2);
  const int16_t poly = multiply_by_pot(add(mul(add(x4_over_4, x3), one_third), x2), -1);
  return saturating_add(constant_term, mul(constant_term, add(x, poly)));
}

// exp(a) for a <= 0 with `integer_bits` integer bits, result Q0.15.
int16_t exp_on_negative_values(int16_t a, int integer_bits) {
  const int frac = 15 - integer_bits;
  const int16_t quarter = static_cast<int16_t>(1 << (frac - 2));
  const int16_t mask = sub(quarter, 1);
  const int16_t a_mod_quarter_minus_quarter = sub(static_cast<int16_t>(a & mask), quarter);
  int16_t result = exp_on_quarter_interval(multiply_by_pot(a_mod_quarter_minus_quarter, integer_bits));
  const int16_t remainder = sub(a_mod_quarter_minus_quarter, a);
  // Barrel shifter: multiply by exp(-2^e) for each set bit of the multiple of 1/4 removed above.
  struct Step {
    int exponent;
    int32_t multiplier32;
  };
  constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                             {2, 39332535},    {3, 720401},      {4, 242}};
  for (const Step& s : kSteps) {
    if (integer_bits > s.exponent) {
      const int16_t bit = wrap16(1 << (frac + s.exponent));
      if ((remainder & bit) != 0) result = mul(result, constant16(s.multiplier32));
    }
  }
  if (integer_bits > 5) {  // below -32 the result is 0
    const int16_t clamp = constant16(-(1 << (36 - integer_bits)));
    if (a < clamp) result = 0;
  }
  return a == 0 ? kOneQ15 : result;
}

// Newton-Raphson reciprocal of (1 + a) / 2 for a in (0, 1): x in Q2.13 after three iterations.
int16_t newton_reciprocal_q213(int16_t half_denominator) {
  const int16_t c48_over_17 = constant16(1515870810);
  const int16_t c_neg32_over_17 = constant16(-1010580540);
  const int16_t one_q213 = 1 << 13;
  int16_t x = add(c48_over_17, mul(half_denominator, c_neg32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int16_t one_minus = sub(one_q213, mul(half_denominator, x));
    x = add(x, multiply_by_pot(mul(x, one_minus), 2));  // Q4.11 product back to Q2.13
  }
  return x;
}

void check_bits(int integer_bits, const char* what) {
  if (integer_bits < 0 || integer_bits > 6) {
    throw std::invalid_argument(std::string(what) + ": integer_bits " + std::to_string(integer_bits) +
                                " outside [0, 6]");
  }
}

}  // namespace

int16_t gemmlowp_logistic_int16(int16_t raw, int integer_bits) {
  check_bits(integer_bits, "gemmlowp_logistic_int16");
  if (raw == 0) return constant16(1 << 30);
  const int16_t abs_input = raw > 0 ? raw : neg(raw);  // -(-32768) wraps, as in gemmlowp
  const int16_t e = exp_on_negative_values(neg(abs_input), integer_bits);
  // 1 / (1 + e): the Q2.13 reciprocal of (1 + e) / 2, halved, in Q0.15.
  const int16_t positive = multiply_by_pot(newton_reciprocal_q213(rounding_half_sum(e, kOneQ15)), 1);
  return raw > 0 ? positive : sub(kOneQ15, positive);
}

int16_t gemmlowp_tanh_int16(int16_t raw, int integer_bits) {
  check_bits(integer_bits, "gemmlowp_tanh_int16");
  if (raw == 0) return 0;
  const int16_t n = raw < 0 ? raw : neg(raw);
  // exp(2n): the same raw value read with one more integer bit.
  const int16_t e = exp_on_negative_values(n, integer_bits + 1);
  // (1 - e) / (1 + e) = 2 / (1 + e) - 1.
  const int16_t x = newton_reciprocal_q213(rounding_half_sum(e, kOneQ15));
  const int16_t t = multiply_by_pot(sub(x, int16_t{1 << 13}), 2);
  return raw < 0 ? neg(t) : t;
}

}  // namespace npusim::quant
