#include "models/systolic/gemm_lowering.h"

#include <algorithm>

#include "sim/quant/im2col.h"

namespace npusim::mapping {

TensorI8 weights_kxn(const Layer& l, const TensorI8& w, int64_t g) {
  const int64_t Kd = l.gemm_k(), N = l.gemm_n();
  TensorI8 B({Kd, N});
  for (int64_t n = 0; n < N; ++n) {
    const int8_t* src =
        &w[(g * N + n) * Kd];  // OHWI: filter (g*N+n) holds Kd contiguous values in (r,s,c) order
    for (int64_t k = 0; k < Kd; ++k) B[k * N + n] = src[k];
  }
  return B;
}

int64_t padded_k(const Layer& l, const ReductionLayout& layout) {
  const int64_t b = layout.block;
  if (layout.per_position || layout.kernel_row_order) {
    const int64_t rs = l.op == OpType::Fc ? 1 : l.R * l.S;
    return rs * ((l.channels_per_group() + b - 1) / b) * b;
  }
  return (l.gemm_k() + b - 1) / b * b;
}

int64_t padded_position(const Layer& l, const ReductionLayout& layout, int64_t k) {
  const int64_t cpg = l.op == OpType::Fc ? l.C : l.channels_per_group();
  const bool per_pos = layout.per_position || layout.kernel_row_order;
  if (!per_pos) return k;
  const int64_t kd = l.op == OpType::Fc ? l.C : l.gemm_k();
  const int64_t cp = padded_k(l, layout) / (kd / cpg);
  const int64_t blk = layout.block, S = l.op == OpType::Fc ? 1 : l.S;
  const bool reorder = layout.kernel_row_order && l.op != OpType::Fc && l.S > 1;
  const int64_t pos = k / cpg, c = k % cpg;
  if (!reorder) return pos * cp + c;
  const int64_t r = pos / S, s = pos % S;  // (r, s, c) -> (r, c / B, s, c % B)
  return r * S * cp + (c / blk) * S * blk + s * blk + c % blk;
}

std::vector<int32_t> block_real_counts(const Layer& l, const ReductionLayout& layout) {
  const int64_t kd = l.op == OpType::Fc ? l.C : l.gemm_k();
  std::vector<int32_t> real(static_cast<size_t>(padded_k(l, layout) / layout.block), 0);
  for (int64_t k = 0; k < kd; ++k) ++real[static_cast<size_t>(padded_position(l, layout, k) / layout.block)];
  return real;
}

Gemm lower(const Layer& l, const TensorI8& input, const TensorI8& weights, int64_t g, int8_t pad_value,
           const ReductionLayout& layout) {
  Gemm gm;
  gm.M = l.gemm_m();
  gm.N = l.gemm_n();
  TensorI8 A = quant::im2col(l, input, g, pad_value);
  TensorI8 B = weights_kxn(l, weights, g);
  const int64_t kd = l.gemm_k(), kp = padded_k(l, layout);
  gm.K = kp;
  const bool reorder = layout.kernel_row_order && l.op != OpType::Fc && l.S > 1;
  if (kp == kd && !reorder) {
    gm.A = std::move(A);
    gm.B = std::move(B);
    return gm;
  }
  auto dst = [&](int64_t k) { return padded_position(l, layout, k); };
  gm.A = TensorI8({gm.M, kp}, 0);
  gm.B = TensorI8({kp, gm.N}, 0);
  for (int64_t m = 0; m < gm.M; ++m)
    for (int64_t k = 0; k < kd; ++k) gm.A[m * kp + dst(k)] = A[m * kd + k];
  for (int64_t k = 0; k < kd; ++k) std::copy_n(&B[k * gm.N], gm.N, &gm.B[dst(k) * gm.N]);
  return gm;
}

}  // namespace npusim::mapping
