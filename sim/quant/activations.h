#pragma once
// Golden standalone int8 activations, TFLite-exact (tflite/kernels/activations.cc):
//  - LOGISTIC and TANH: both the REFERENCE and the default kernel registrations fill a 256-entry
//    table at Prepare (LUTPopulate<int8_t>, common.h) in float32 from the input/output scales and
//    look every input up; the integer input_multiplier path is only the kFixedPointOptimized kernel.
//    Logistic needs output scale 1/256 (TFLite checks it) and its table uses 1 / (1 + expf(-x)).
//  - RELU / RELU6 / RELU_N1_TO_1: ReluPrepare's multiplier input_scale / output_scale (a float32
//    division, then QuantizeMultiplier), ReluX: clamp(out_zp + MultiplyByQuantizedMultiplier(x -
//    in_zp)) to [out_zp + roundf(lo / out_scale), out_zp + roundf(hi / out_scale)] within int8.
// Float transcendental functions come from the C library (expf, tanhf); a different libm can move a
// table entry whose value lies within an ulp of a rounding tie.
#include <array>
#include <cstdint>
#include <functional>

#include "sim/common/tensor.h"

namespace npusim::quant {

using Lut8 = std::array<int8_t, 256>;  // indexed by (uint8_t)input

// LUTPopulate<int8_t>: for every q in [-128, 127], y = f(in_scale * (q - in_zp)) (float32), then
// clamp((int32)(round(y * (1 / out_scale)) + out_zp), -128, 127).
Lut8 make_lut_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point,
                   const std::function<float(float)>& f);

// The LOGISTIC / TANH tables. Logistic throws InputError unless output_scale == 1/256 exactly.
Lut8 logistic_lut_int8(float input_scale, int32_t input_zero_point, float output_scale,
                       int32_t output_zero_point);
Lut8 tanh_lut_int8(float input_scale, int32_t input_zero_point, float output_scale,
                   int32_t output_zero_point);

TensorI8 apply_lut(const TensorI8& input, const Lut8& lut);

// Standalone RELU family: [lo, hi] is the real clamp (0, +inf) for RELU, (0, 6) for RELU6, (-1, 1)
// for RELU_N1_TO_1 (hi = +inf means no upper bound).
struct ReluParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t act_min = -128, act_max = 127;
};
ReluParams make_relu_params(float input_scale, int32_t input_zero_point, float output_scale,
                            int32_t output_zero_point, float lo, float hi);
TensorI8 relu_int8(const TensorI8& input, const ReluParams& p);

}  // namespace npusim::quant
