#pragma once
// Golden QUANTIZE / DEQUANTIZE ops, TFLite-exact (tflite/kernels/quantize.cc, dequantize.cc and
// reference/quantize.h, requantize.h, dequantize.h):
//  - float32 -> int8: clamp((int32)TfLiteRound(x / (float)scale) + zp, -128, 127), the division and
//    the round in float32 (TfLiteRound = round half away from zero).
//  - int8 -> int8 (requantize): QuantizeMultiplier((double)in_scale / (double)out_scale), then
//    clamp(MultiplyByQuantizedMultiplier(q - in_zp) + out_zp).
//  - int8 -> float32: (float)((double)scale * (q - zp)), the product in double as TFLite's
//    DequantizationParams keeps the scale as a double.
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

// Inputs beyond int32 after the division (undefined in TFLite's cast) saturate; NaN gives -128 (what
// x86's conversion of NaN to INT32_MIN then clamps to). `double_division` selects the default
// (optimized) kernel's scalar path, optimized_ops::AffineQuantize<int8_t>, which divides by the scale
// held as a double and rounds the double.
int8_t quantize_float(float x, float scale, int32_t zero_point, bool double_division = false);
std::vector<int8_t> quantize_floats(const std::vector<float>& x, float scale, int32_t zero_point,
                                    bool double_division = false);

struct RequantizeParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;
  int shift = 0;
};
RequantizeParams make_requantize_params(float input_scale, int32_t input_zero_point, float output_scale,
                                        int32_t output_zero_point);
TensorI8 requantize_int8(const TensorI8& input, const RequantizeParams& p);

std::vector<float> dequantize_int8(const std::vector<int8_t>& q, float scale, int32_t zero_point);

}  // namespace npusim::quant
