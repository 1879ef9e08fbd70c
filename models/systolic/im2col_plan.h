#pragma once
// Hardware IM2COL (a unit next to the array): raw activation rows are read from the activation SRAM
// into register banks and expanded into the im2col operand stream in registers. The reduction runs in
// the order (kernel row r, channel block, kernel column s), so one bank load per (r, channel block)
// serves the S slices of that kernel row: every input pixel a fold needs is read once per kernel row
// instead of once per (r, s). The activation buffer holds raw input rows, so DRAM moves the input
// tensor (with the halo rows of neighbouring tiles) instead of the R*S times larger im2col matrix.
#include <cstdint>
#include <vector>

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

// One bank load of the IM2COL unit: the consecutive K blocks [kb0, kb0 + nb) of one (kernel row,
// channel block), i.e. kernel columns s0 .. s0 + nb - 1, for output pixels [m0, m0 + m_len).
struct Im2colGroup {
  int64_t kb0 = 0, nb = 0;
  int64_t r = 0, cb = 0, s0 = 0;
  int64_t pixel_count = 0;  // distinct in-bounds input pixels of the load
  // Those pixels, as (batch * H + iy) * W + ix, in load order (first use). Filled only when asked for.
  std::vector<int64_t> pixels;
  // Bank slot read by lane m for block kb0 + j, at [j * m_len + m]: 0 is the pad slot (the input
  // zero point), pixel i sits in slot 1 + i. Filled only when asked for.
  std::vector<uint32_t> addr;
};

// Splits the blocks [k0, k0 + k_len) of a fold (K in (r, channel block, s) order, `channel_blocks`
// blocks per kernel position) into bank loads: each (r, channel block) run of kernel columns is one
// load if its pixels fit in `max_pixels` slots, else it is cut greedily (each kernel column alone
// needs at most m_len pixels, so max_pixels >= m_len always succeeds).
std::vector<Im2colGroup> plan_im2col_groups(const ConvWindow& w, int64_t channel_blocks, int64_t m0,
                                            int64_t m_len, int64_t k0, int64_t k_len, int64_t max_pixels,
                                            bool with_addr);

}  // namespace npusim::mapping
