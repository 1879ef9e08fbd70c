#pragma once
// Golden int8 pooling (TFLite reference semantics). Input and output share scale and zero point,
// so no requantization happens: only the [act_min, act_max] clamp. Padding is not a value: windows
// only see in-bounds elements (and the average divides by the in-bounds count).
#include <cstdint>

#include "sim/common/tensor.h"
#include "sim/quant/conv2d.h"

namespace npusim::quant {

// Max over each R x S window: input [H][W][C] -> [out_h][out_w][C]. Uses geom's H, W, C, R, S,
// strides, padding and dilation; K and groups are ignored. Throws InputError on shape mismatch or
// a window that lies entirely in padding.
TensorI8 max_pool(const TensorI8& input, const ConvGeom& geom, int32_t act_min = -128, int32_t act_max = 127);

// Average over each window: sum / count rounded half away from zero, then clamped.
TensorI8 avg_pool(const TensorI8& input, const ConvGeom& geom, int32_t act_min = -128, int32_t act_max = 127);

// TFLite's integer average: (sum +/- count/2) / count, i.e. round half away from zero. count > 0.
inline int32_t rounded_average(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

}  // namespace npusim::quant
