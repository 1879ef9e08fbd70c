#pragma once
// Software im2col, the lowering of a conv/dwconv/fc layer's input to GEMM rows that every family's
// weight-matrix mapping shares: one row per output pixel, the reduction index over (r, s, c) in that order
// (TFLite's OHWI weight layout). Padded positions hold `pad_value` (the input zero point, so a raw sum of
// x * w equals TFLite's sum of (x - zp) * w plus zp * colsum(w)).
#include <cstdint>

#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim::quant {

// Group g's rows [batch * out_h * out_w][R * S * C/groups]; `input` is [H][W][C] ([batch][H][W][C] with
// batch > 1; fc: [batch][C], one row per batch element).
TensorI8 im2col(const Layer& layer, const TensorI8& input, int64_t group, int8_t pad_value);

}  // namespace npusim::quant
