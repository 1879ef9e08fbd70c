#pragma once
// Output requantization: int32 accumulator -> int8 activation, TFLite style
// (clamp(multiply_by_quantized_multiplier(acc) + zero_point, act_min, act_max)).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/quant/fixed_point.h"

namespace npusim::quant {

// Per-output-channel requantization parameters. A size-1 multiplier/shift vector applies to every
// channel (per-tensor quantization). act_min/act_max are the fused-activation / bit-width clamp
// and must lie inside int8 (INT4 values live in int8 storage). `rounding` selects TFLite's default
// double rounding or its TFLITE_SINGLE_ROUNDING build; only conv / depthwise / fully-connected
// requantization takes it from the user, every other op keeps TFLite's default (double).
struct Requant {
  int32_t output_zero_point = 0;
  std::vector<int32_t> multiplier;
  std::vector<int> shift;
  int32_t act_min = -128, act_max = 127;
  Rounding rounding = Rounding::Double;
};

// Signed range [-2^(bits-1), 2^(bits-1) - 1] of a `bits`-wide operand, bits in [2, 8].
// Throws InputError otherwise.
std::pair<int32_t, int32_t> int_range(int bits);

// Builds a Requant from real multipliers (input_scale * weight_scale[k] / output_scale), one per
// channel or a single per-tensor one, clamping to the signed `bits` range.
Requant make_requant(const std::vector<double>& real_multipliers, int32_t output_zero_point, int bits,
                     Rounding rounding = Rounding::Double);

// Throws InputError unless rq is usable for `channels` output channels (vector sizes 1 or
// `channels`, equal lengths, act range non-empty and inside int8). `what` prefixes the message.
void check_requant(const Requant& rq, int64_t channels, const std::string& what);

// Hot path (one call per output element): no checks, call check_requant once per tensor.
inline int8_t requantize(int32_t acc, const Requant& rq, int64_t channel) {
  const size_t i = rq.multiplier.size() == 1 ? 0 : static_cast<size_t>(channel);
  const int32_t scaled = multiply_by_quantized_multiplier(acc, rq.multiplier[i], rq.shift[i], rq.rounding);
  // 64-bit add: scaled can be near INT32_MAX after saturation.
  const int64_t out = static_cast<int64_t>(scaled) + rq.output_zero_point;
  return static_cast<int8_t>(std::clamp<int64_t>(out, rq.act_min, rq.act_max));
}

}  // namespace npusim::quant
