#pragma once
// Fused-activation clamp of a quantized output, exactly as TFLite's CalculateActivationRangeQuantized
// (kernel_util.cc): the real bounds 0 / 6 / -1 / 1 are quantized with zero_point +
// (int32)TfLiteRound(bound / scale), computed in float32, and intersected with [qmin, qmax].
#include <cstdint>
#include <utility>

namespace npusim::quant {

enum class FusedActivation { None, Relu, ReluN1To1, Relu6 };

// (act_min, act_max) for an output with float32 `scale` and `zero_point` whose storage type spans
// [qmin, qmax] (int8: -128, 127). Throws InputError if a quantized bound overflows int32.
std::pair<int32_t, int32_t> activation_range_quantized(FusedActivation act, float scale, int32_t zero_point,
                                                       int32_t qmin = -128, int32_t qmax = 127);

}  // namespace npusim::quant
