#pragma once
// Conv/FC lowered to GEMM, one GEMM per group: A = im2col(input) [M x Kd], B = weights [Kd x N].
// Kd runs over (r, s, c) in that order, matching the OHWI weight layout. Padded positions hold the
// input zero point, so a raw sum of a*w equals TFLite's sum of (a - zp)*w plus zp * colsum(w).
#include <cstdint>

#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim::mapping {

// How the reduction dimension is laid out for tensor PEs that take `block` K elements per slice:
// padded at the end to a multiple of block, or (DBB) channels padded to a multiple of block at every
// kernel position so that no block straddles two positions. Padding holds zero weights.
// With `kernel_row_order` (hardware IM2COL) blocks run in the order (r, channel block, s) instead of
// (r, s, channel block); it implies per-position channel padding.
struct ReductionLayout {
  int block = 1;
  bool per_position = false;
  bool kernel_row_order = false;
};

struct Gemm {
  int64_t M = 0, K = 0, N = 0;
  TensorI8 A;  // [M][K]
  TensorI8 B;  // [K][N]
};

// Weights of group g as [Kd][N]; `weights` is OHWI [K][R][S][C/groups] (fc: [K][C]).
TensorI8 weights_kxn(const Layer& layer, const TensorI8& weights, int64_t group);
// Reduction length after padding for `layout`.
int64_t padded_k(const Layer& layer, const ReductionLayout& layout);
// Position of dense reduction index k (kernel position major, channel minor) in the padded layout.
int64_t padded_position(const Layer& layer, const ReductionLayout& layout, int64_t k);
// Real (non-padding) reduction elements in each block of `layout.block` of the padded layout: what the
// activation SRAM and DRAM actually hold and move (padding is a constant, never stored).
std::vector<int32_t> block_real_counts(const Layer& layer, const ReductionLayout& layout);
Gemm lower(const Layer& layer, const TensorI8& input, const TensorI8& weights, int64_t group,
           int8_t pad_value, const ReductionLayout& layout = {});

}  // namespace npusim::mapping
