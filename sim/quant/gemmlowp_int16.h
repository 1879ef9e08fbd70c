#pragma once
// gemmlowp's 16-bit fixed-point logistic and tanh (fixedpoint.h, FixedPoint<int16_t, IntegerBits>),
// which TFLite's integer LSTM applies through tensor_utils::ApplySigmoid / ApplyTanh (the portable
// kernels). A value with IntegerBits k has raw r and real value r / 2^(15 - k); results are Q0.15.
// Every step is gemmlowp's int16 arithmetic: wrapping add / sub / negate, the saturating rounding
// doubling high multiply, rounding (half away from zero) right shifts and saturating left shifts.
#include <cstdint>

namespace npusim::quant {

// logistic(raw / 2^(15 - integer_bits)) in Q0.15; integer_bits in [0, 6]. 0 gives exactly 16384.
int16_t gemmlowp_logistic_int16(int16_t raw, int integer_bits);

// tanh(raw / 2^(15 - integer_bits)) in Q0.15; integer_bits in [0, 6]. 0 gives 0.
int16_t gemmlowp_tanh_int16(int16_t raw, int integer_bits);

}  // namespace npusim::quant
