#pragma once
// The digital periphery of a cim layer (DESIGN.md §8): per output channel, the clipped ADC codes of the
// channel's row splits are summed, scaled back to accumulator units by a Q16 fixed-point factor (which
// folds in ADC LSB / weight scale and drift compensation), the bias (with the input zero point's
// -zp * sum(w) folded in) is added, and TFLite's requantization, output zero point and activation clamp
// give the int8 output. The C++ cycle core, the family's noise-free reference and (bit for bit) the RTL
// periphery rtl/cim/cim_periphery.v all compute this.
#include <cstdint>

namespace npusim::cim {

inline constexpr int kPeripheryFracBits = 16;  // Q16: m = 65536 is a factor of 1

struct ChannelParams {
  int32_t m = 1 << kPeripheryFracBits;  // code sum -> accumulator, Q16, >= 0
  int32_t bias = 0;                     // bias - input_zp * sum(w)
  int32_t qmult = 1 << 30;              // TFLite quantized multiplier
  int32_t qshift = 0;                   // TFLite shift (> 0: left)
};

struct OutputParams {
  int32_t out_zp = 0;
  int32_t act_min = -128, act_max = 127;
};

// Accumulator estimate: round(code_sum * m / 2^16), half up (an arithmetic shift of the biased
// product), saturated to int32, plus the bias (saturated again).
int32_t periphery_accumulator(int32_t code_sum, const ChannelParams& ch);
// The int8 output: requantize(periphery_accumulator(...)) with TFLite's double rounding.
int8_t periphery_output(int32_t code_sum, const ChannelParams& ch, const OutputParams& out);

}  // namespace npusim::cim
