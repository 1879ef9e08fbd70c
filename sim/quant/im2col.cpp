#include "sim/quant/im2col.h"

#include <algorithm>

namespace npusim::quant {

TensorI8 im2col(const Layer& l, const TensorI8& input, int64_t g, int8_t pad_value) {
  const int64_t cpg = l.channels_per_group();
  const int64_t M = l.gemm_m(), Kd = l.gemm_k();
  TensorI8 A({M, Kd}, pad_value);
  if (l.op == OpType::Fc) {  // input [batch][C]
    for (int64_t m = 0; m < M; ++m)
      for (int64_t c = 0; c < cpg; ++c) A[m * Kd + c] = input[m * l.C + g * cpg + c];
    return A;
  }
  for (int64_t b = 0; b < l.batch; ++b)
    for (int64_t oy = 0; oy < l.out_h; ++oy)
      for (int64_t ox = 0; ox < l.out_w; ++ox) {
        int8_t* row = &A[((b * l.out_h + oy) * l.out_w + ox) * Kd];
        for (int64_t r = 0; r < l.R; ++r) {
          const int64_t iy = oy * l.stride_h - l.pad_top + r * l.dilation;
          if (iy < 0 || iy >= l.H) continue;
          for (int64_t s = 0; s < l.S; ++s) {
            const int64_t ix = ox * l.stride_w - l.pad_left + s * l.dilation;
            if (ix < 0 || ix >= l.W) continue;
            const int8_t* px = &input[((b * l.H + iy) * l.W + ix) * l.C + g * cpg];
            std::copy(px, px + cpg, row + (r * l.S + s) * cpg);
          }
        }
      }
  return A;
}

}  // namespace npusim::quant
