#include "sim/mapping/im2col_unit.h"

#include <set>
#include <tuple>

namespace npusim::mapping {

namespace {

template <class F>
void for_pixels(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r_lo, int64_t r_hi, F f) {
  for (int64_t m = m0; m < m0 + m_len; ++m) {
    const int64_t b = m / (w.out_h * w.out_w), oy = (m / w.out_w) % w.out_h, ox = m % w.out_w;
    for (int64_t r = r_lo; r < r_hi; ++r) {
      const int64_t iy = oy * w.stride_h - w.pad_top + r * w.dilation;
      if (iy < 0 || iy >= w.H) continue;  // padding rows come from the pad value, not the SRAM
      for (int64_t s = 0; s < w.S; ++s) {
        const int64_t ix = ox * w.stride_w - w.pad_left + s * w.dilation;
        if (ix >= 0 && ix < w.W) f(b, iy, ix);
      }
    }
  }
}

int64_t count(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r_lo, int64_t r_hi) {
  std::set<std::tuple<int64_t, int64_t, int64_t>> px;
  for_pixels(w, m0, m_len, r_lo, r_hi, [&](int64_t b, int64_t y, int64_t x) { px.emplace(b, y, x); });
  return static_cast<int64_t>(px.size());
}

}  // namespace

int64_t window_row_pixels(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r) {
  return count(w, m0, m_len, r, r + 1);
}

int64_t window_pixels(const ConvWindow& w, int64_t m0, int64_t m_len) { return count(w, m0, m_len, 0, w.R); }

}  // namespace npusim::mapping
