#pragma once
// How the executor quantizes a network it has no model file for: every choice from a named seed
// stream, scales from the real data so outputs neither saturate nor collapse to zero.
#include <cstdint>
#include <string>

#include "sim/common/tensor.h"
#include "sim/quant/add.h"
#include "sim/quant/requant.h"
#include "sim/workload/layer.h"

namespace npusim {

// A tensor flowing through the network with its quantization (scale is nominal: only ratios matter).
struct QTensor {
  TensorI8 t;
  double scale = 1.0 / 64;
  int32_t zero_point = 0;
};

// Zero point of a layer's output: drawn from `qparams:<layer>` in the lower/upper quarter of the range,
// or 0 for families whose activations are symmetric.
int32_t choose_output_zero_point(uint64_t seed, const Layer& l, bool symmetric);

// Per-channel output requantization from the real accumulator range: the largest |acc| of channel k maps
// to between 0.6 and 1.4 of the half range (a few outputs saturate by design), from `rescale:<layer>`.
quant::Requant choose_requant(uint64_t seed, const Layer& l, const TensorI32& acc, int32_t out_zp);

// Nominal output scale of a conv/fc layer (input scale times a unit weight scale over the mean
// requantization multiplier): what a residual add or a recurrent layer downstream sees.
double output_scale(double in_scale, const std::vector<double>& real_multipliers);

// ADD of two tensors: the output scale covers the real range of the sum.
quant::AddParams choose_add_params(const QTensor& a, const QTensor& b, int32_t out_zp, int bits, double* out_scale);

// Share of elements at the ends of [lo, hi].
double saturated_fraction(const TensorI8& t, int bits);

}  // namespace npusim
