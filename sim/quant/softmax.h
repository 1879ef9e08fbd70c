#pragma once
// Golden int8 SOFTMAX over the last axis, int8 in and out (output zero point -128, scale 1/256).
// TFLite has two int8 kernels and registers them differently:
//  - softmax_int8_reference: the REFERENCE kernel (activations.cc SoftmaxPrepare/SoftmaxEval with
//    kReference -> reference_ops::Softmax): gemmlowp fixed-point exp of the Q5.26 scaled difference
//    to the row max, fixed-point reciprocal of the sum. Parameters from PreprocessSoftmaxScaling.
//  - softmax_int8_lut: the default builtin kernel (kGenericOptimized -> optimized_ops::Softmax on
//    builds without TFLITE_SOFTMAX_USE_UINT16_LUT, i.e. everything but clang/aarch64): a 256-entry
//    float table expf(-input_scale * beta * d), float sum and round.
#include <cstdint>
#include <string>

#include "sim/common/tensor.h"

namespace npusim::quant {

// Integer parameters of the reference kernel, as SoftmaxPrepare computes them from the float32
// beta and input scale (double rounding build).
struct SoftmaxParams {
  int32_t input_multiplier = 0;  // Q31 mantissa of beta * input_scale * 2^26 (capped at 2^31 - 1)
  int input_left_shift = 0;      // its (non-negative) exponent
  int32_t diff_min = 0;          // differences below this contribute exp() = 0
};

// PreprocessSoftmaxScaling(beta, input_scale, 5) and diff_min = -CalculateInputRadius(5, shift).
// Throws InputError when beta * input_scale * 2^26 <= 1 (TFLite's CHECK fails there) or is not finite.
SoftmaxParams make_softmax_params(float beta, float input_scale);

// Reference kernel over the last axis of `input` (any rank >= 1).
TensorI8 softmax_int8_reference(const TensorI8& input, const SoftmaxParams& p);

// The default (optimized, float table) kernel; output_scale / output_zero_point as in the model.
TensorI8 softmax_int8_lut(const TensorI8& input, float input_scale, float beta, float output_scale,
                          int32_t output_zero_point);

// Throws InputError (prefixed by `what`) unless the output quantization is what TFLite's int8
// softmax requires: zero point -128 and scale within 0.1% of 1/256.
void check_softmax_output(float output_scale, int32_t output_zero_point, const std::string& what);

}  // namespace npusim::quant
