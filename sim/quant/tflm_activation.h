#pragma once
// TFLM's int16 sigmoid and tanh (tflite-micro reference_integer_ops Logistic / Tanh for int16, the
// ones its integer LSTM calls): a 256-entry table of sigmoid(k / 24) in Q0.16 with linear
// interpolation. tanh reuses the sigmoid table through tanh(x) = 2 sigmoid(2x) - 1. Outputs are Q0.15.
#include <array>
#include <cstdint>

namespace npusim::quant {

// TFLite's sigmoid_table_uint16: entry k ~ 2^16 sigmoid(k / 24), biased by half the midpoint
// interpolation error (tests regenerate it); the last entry is 65535.
const std::array<uint16_t, 256>& tflm_sigmoid_table();

// Logistic on a Q3.12 input (TFLM calls it with input_multiplier 0, shift 0, i.e. x * 3):
//   v = 3x, a = |v|, k = a >> 9, t = a & 511
//   r = k >= 255 ? 0x7fff << 10 : (T[k] << 9) + t (T[k+1] - T[k])
//   r = v >= 0 ? r + 2^9 : 2^25 - r + 2^9 - 1;  result = r >> 10
int16_t tflm_sigmoid_q312(int16_t x);

// Tanh with TFLM's input rescaling: input_multiplier 0 means "power of two": multiplier 3 << shift
// and no shift; otherwise v = (x * input_multiplier + round) >> shift with round = 2^(shift-1).
//   a = |v|, k = a >> 8, t = a & 255
//   r = k >= 255 ? 0xffff << 8 : (T[k] << 8) + t (T[k+1] - T[k])
//   r = v >= 0 ? r - 2^23 + 2^7 : -r + 2^23 + 2^7 - 1;  result = r >> 8
int16_t tflm_tanh(int16_t x, int32_t input_multiplier, int input_left_shift);

// TFLM's lstm_internal::Tanh for a value of scale 2^cell_state_scale_power: shift = 12 + power;
// shift >= 0 uses (multiplier 0, shift), a negative one (multiplier 3, -shift). Power -12 is a Q3.12
// gate (the cell gate's tanh).
int16_t tflm_tanh_pow2(int16_t x, int cell_state_scale_power);

}  // namespace npusim::quant
