#pragma once
// Golden int8 MEAN over a set of axes. TFLite's int8 MEAN has changed between versions and differs
// between its kernel registrations, so three exact variants are kept, each named for its source:
//  - mean_int8_reference: the current REFERENCE kernel for every axis set (reduce.cc
//    EvalMean<kReference> -> reference_ops::QuantizedMeanOrSum, TensorFlow since early 2023 (the
//    change reached TFLite Micro in its 2023-03-01 sync) and LiteRT today): integer sum of q, minus
//    zp_in * n, times a multiplier folded with 1/n (multiplier << s) / n, s = min(floor(log2 n), 32,
//    31 + shift), then + zp_out and clamp. The multiplier is QuantizeMultiplier(in_scale / out_scale).
//  - mean_int8_hw_legacy: the earlier TF 2.x REFERENCE kernel's special case for a 4-D input with
//    keep_dims reduced over H and W (reference_integer_ops::Mean): sum of (q - zp_in), times the
//    in/out multiplier, then a rounded integer division by H*W, + zp_out, clamp.
//  - mean_int8_hw_optimized: the default (optimized) kernel's case for the same shape
//    (optimized_integer_ops::Mean): sum of q times QuantizeMultiplier(in_scale / (n * out_scale))
//    computed in float, plus bias = zp_out - (int)(zp_in * in_scale / out_scale +- 0.5f).
// The golden evaluator uses mean_int8_reference with TfliteKernels::Reference (the current reference
// semantics) and mean_int8_hw_optimized for that shape with TfliteKernels::Builtin, which is what the
// real interpreter of tests/data/tflite_ops computed bit for bit.
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

// Normalises TFLite axis values (negative counts from the back, duplicates dropped, order kept).
// Throws InputError for an axis outside [-rank, rank).
std::vector<int> resolve_axes(const std::vector<int32_t>& axes, size_t rank);

// Output shape of a reduction: reduced axes become 1 with keep_dims, vanish without.
std::vector<int64_t> reduced_shape(const std::vector<int64_t>& shape, const std::vector<int>& axes,
                                   bool keep_dims);

TensorI8 mean_int8_reference(const TensorI8& input, const std::vector<int32_t>& axes, bool keep_dims,
                             float input_scale, int32_t input_zero_point, float output_scale,
                             int32_t output_zero_point);

// Input [N][H][W][C] -> [N][1][1][C]; throws InputError for another rank.
TensorI8 mean_int8_hw_legacy(const TensorI8& input, float input_scale, int32_t input_zero_point,
                             float output_scale, int32_t output_zero_point);
TensorI8 mean_int8_hw_optimized(const TensorI8& input, float input_scale, int32_t input_zero_point,
                                float output_scale, int32_t output_zero_point);

}  // namespace npusim::quant
