#pragma once
// gemmlowp's fixed-point transcendental functions on int32 raw values, as TFLite's integer softmax
// uses them (gemmlowp/fixedpoint/fixedpoint.h). A FixedPoint<int32, I> value with raw r is
// r / 2^(31 - I); I ("integer bits") is a run-time argument here instead of a template parameter.
// Every function reproduces gemmlowp's integer operations exactly, including its wrapping adds.
#include <cstdint>

namespace npusim::quant {

// x * 2^exponent: exponent > 0 saturates to int32 (gemmlowp's threshold test), exponent < 0 is
// rounding_divide_by_pot(x, -exponent), 0 is x. exponent in [-31, 30].
int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent);

// gemmlowp Rescale: the raw value of x (with src_integer_bits) re-expressed with dst_integer_bits.
inline int32_t rescale(int32_t x, int src_integer_bits, int dst_integer_bits) {
  return saturating_rounding_multiply_by_pot(x, src_integer_bits - dst_integer_bits);
}

// gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero, computed in 64 bits.
int32_t rounding_half_sum(int32_t a, int32_t b);

// exp(a) for a in [-1/4, 0), a and result in Q0.31 (Taylor expansion around -1/8).
int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a);

// exp(a) for a <= 0 given with `integer_bits` integer bits (0..30); result in Q0.31. a == 0 gives
// INT32_MAX (gemmlowp's "one").
int32_t exp_on_negative_values(int32_t a, int integer_bits);

// 1 / (1 + a) for a in [0, 1) in Q0.31 (three Newton-Raphson steps in Q2.29); result in Q0.31.
int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a);

// TFLite GetReciprocal: 1 / x for x > 0 with `x_integer_digits` integer bits, as a Q0.31 mantissa in
// [0.5, 1) and *num_bits_over_unit, the power of two it is scaled by.
int32_t get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit);

}  // namespace npusim::quant
