#pragma once
// Hardware IM2COL (a unit next to the array): raw activation rows are read from the activation SRAM
// into row buffers and expanded into the im2col operand stream in registers. The reduction runs in
// the order (kernel row r, channel block, kernel column s), so one row-buffer load per (r, channel
// block) serves the S slices of that kernel row: every input pixel a fold needs is read once per
// kernel row instead of once per (r, s). The activation buffer holds raw input rows, so DRAM moves the
// input tensor (with the halo rows of neighbouring tiles) instead of the R*S times larger im2col matrix.
#include <cstdint>

namespace npusim::mapping {

struct ConvWindow {
  int64_t H = 1, W = 1, R = 1, S = 1;
  int64_t stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0, dilation = 1;
  int64_t out_h = 1, out_w = 1, batch = 1;
};

// Distinct in-bounds input pixels that output pixels [m0, m0 + m_len) need for kernel row r.
int64_t window_row_pixels(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r);
// Distinct in-bounds input pixels those output pixels need over the whole kernel.
int64_t window_pixels(const ConvWindow& w, int64_t m0, int64_t m_len);

}  // namespace npusim::mapping
