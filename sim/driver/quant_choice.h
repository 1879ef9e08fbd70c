#pragma once
// How the executor quantizes a network it has no model file for: every choice from a named seed
// stream, scales from the real data so outputs neither saturate nor collapse to zero.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/common/tensor.h"
#include "sim/quant/add.h"
#include "sim/quant/requant.h"
#include "sim/workload/layer.h"

namespace npusim {

// A tensor flowing through the network with its quantization. Conv/fc outputs keep their input's scale:
// the per-channel weight scales are taken as real multiplier x output scale / input scale, as batch-norm
// folding would leave them, so residual adds meet operands of comparable scales.
struct QTensor {
  TensorI8 t;
  double scale = 1.0 / 64;
  int32_t zero_point = 0;
  // A float32 tensor instead (a real model's input into QUANTIZE, its output from DEQUANTIZE); t is empty.
  bool is_float = false;
  Tensor<float> real;
};

// Zero point of a layer's output: drawn from `qparams:<layer>` in the lower/upper quarter of the range,
// or 0 for families whose activations are symmetric.
int32_t choose_output_zero_point(uint64_t seed, const Layer& l, bool symmetric);

// Per-channel output requantization from the real accumulator range, as a calibration on this very input
// would set it: the largest |acc| of channel k maps to between 0.8 and 1.0 of the room between the zero
// point and the nearer end of the range (stream `rescale:<layer>`), so outputs use the range without
// saturating.
quant::Requant choose_requant(uint64_t seed, const Layer& l, const TensorI32& acc, int32_t out_zp);

// ADD of two tensors: the output scale covers the real range of the sum.
quant::AddParams choose_add_params(const QTensor& a, const QTensor& b, int32_t out_zp, int bits, double* out_scale);

// Share of elements at the ends of [lo, hi]; with a zero point, elements equal to it are real zeros (a
// ReLU's output at zero point -128), not saturated.
double saturated_fraction(const TensorI8& t, int bits, std::optional<int32_t> zero_point = std::nullopt);

}  // namespace npusim
