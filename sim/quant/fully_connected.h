#pragma once
// Golden int8 fully-connected layer (TFLite semantics): input [batch][K] with an asymmetric zero
// point, weights [N][K] symmetric (zero point 0), bias [N] or empty.
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/quant/requant.h"

namespace npusim::quant {

// int32 accumulators [batch][N]: bias[n] + sum_k (x[b][k] - input_zero_point) * w[n][k].
// Throws InputError on shape mismatch.
TensorI32 fc_acc(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                 int32_t input_zero_point);

// fc_acc followed by per-output-channel requantization: int8 [batch][N].
TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                         int32_t input_zero_point, const Requant& rq);

}  // namespace npusim::quant
