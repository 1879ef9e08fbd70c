#pragma once
// Golden int8 2-D convolution (TFLite semantics): activations [H][W][C], weights OHWI
// [K][R][S][C/groups] with zero point 0 (symmetric), asymmetric input zero point, grouped /
// depthwise, dilated, asymmetric padding. Padded positions behave as if they held the input zero
// point, i.e. they contribute nothing to the accumulator.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/quant/requant.h"
#include "sim/workload/layer.h"

namespace npusim::quant {

// Geometry of a conv / pool window sweep. Same meaning as the Layer fields (DESIGN.md §4); one
// dilation for both spatial axes. Pools use C (output channels = C) and ignore K and groups.
struct ConvGeom {
  int64_t H = 1, W = 1, C = 1, K = 1, R = 1, S = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int64_t groups = 1, dilation = 1;
  int64_t out_h = 1, out_w = 1;
};

// floor((in + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride) + 1; may be <= 0
// for a kernel larger than the padded input.
int64_t conv_out_size(int64_t in, int64_t pad_before, int64_t pad_after, int64_t kernel, int64_t stride,
                      int64_t dilation);

// Fills out_h / out_w from the other fields and validates (positive sizes, strides >= 1, pads >= 0,
// C and K divisible by groups, non-empty output). Throws InputError prefixed by `what`.
ConvGeom finalize_geom(ConvGeom g, const std::string& what);

// Geometry of a workload layer, out_h / out_w recomputed from the other fields.
// Throws InputError (naming the layer and its source) if the geometry is invalid.
ConvGeom conv_geom(const Layer& layer);

// int32 accumulators [out_h][out_w][K]: bias[k] + sum (x - input_zero_point) * w.
// bias is [K] or empty (no bias). Throws InputError on shape mismatch.
TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                     int32_t input_zero_point, const ConvGeom& geom);

// conv2d_acc followed by per-output-channel requantization: int8 [out_h][out_w][K].
TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                int32_t input_zero_point, const ConvGeom& geom, const Requant& rq);

}  // namespace npusim::quant
