#include "models/systolic/im2col_plan.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

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

// Input pixels of the current set with an index each, by generation stamp: O(1) lookups with no
// per-call allocation (the --fast estimate plans every fold of every layer: the hot loop of a sweep).
class PixelSet {
 public:
  explicit PixelSet(const ConvWindow& w) {
    const size_t n = static_cast<size_t>(w.batch * w.H * w.W);
    if (stamp_.size() < n) {
      stamp_.assign(n, 0);
      index_.resize(n);
    }
    clear();
  }
  void clear() {
    if (++gen_ == 0) {  // wrapped: forget every old stamp
      std::fill(stamp_.begin(), stamp_.end(), 0);
      gen_ = 1;
    }
  }
  bool contains(int64_t p) const { return stamp_[static_cast<size_t>(p)] == gen_; }
  // Adds p with the given index; false (and no change) if it was there already.
  bool insert(int64_t p, uint32_t index = 0) {
    uint32_t& s = stamp_[static_cast<size_t>(p)];
    if (s == gen_) return false;
    s = gen_;
    index_[static_cast<size_t>(p)] = index;
    return true;
  }
  uint32_t index(int64_t p) const { return index_[static_cast<size_t>(p)]; }

 private:
  static thread_local std::vector<uint32_t> stamp_, index_;
  static thread_local uint32_t gen_;
};
thread_local std::vector<uint32_t> PixelSet::stamp_;
thread_local std::vector<uint32_t> PixelSet::index_;
thread_local uint32_t PixelSet::gen_ = 0;

int64_t count(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r_lo, int64_t r_hi) {
  PixelSet px(w);
  int64_t n = 0;
  for_pixels(w, m0, m_len, r_lo, r_hi,
             [&](int64_t b, int64_t y, int64_t x) { n += px.insert((b * w.H + y) * w.W + x); });
  return n;
}

}  // namespace

int64_t window_row_pixels(const ConvWindow& w, int64_t m0, int64_t m_len, int64_t r) {
  return count(w, m0, m_len, r, r + 1);
}

int64_t window_pixels(const ConvWindow& w, int64_t m0, int64_t m_len) {
  return count(w, m0, m_len, 0, w.R);
}

std::vector<Im2colGroup> plan_im2col_groups(const ConvWindow& w, int64_t channel_blocks, int64_t m0,
                                            int64_t m_len, int64_t k0, int64_t k_len, int64_t max_pixels,
                                            bool with_addr) {
  if (max_pixels < m_len)
    throw std::logic_error("im2col: " + std::to_string(max_pixels) +
                           " slots cannot hold one kernel column of " + std::to_string(m_len) + " pixels");
  std::vector<Im2colGroup> groups;
  PixelSet in_group(w);         // pixels of the current group
  std::vector<int64_t> column;  // pixels of one kernel column (per lane)
  // Each lane's output pixel: its batch row offset and the top-left input position of its window.
  struct Lane {
    int64_t base, y0, x0;
  };
  std::vector<Lane> lanes(static_cast<size_t>(m_len));
  for (int64_t i = 0; i < m_len; ++i) {
    const int64_t m = m0 + i, b = m / (w.out_h * w.out_w), oy = (m / w.out_w) % w.out_h, ox = m % w.out_w;
    lanes[static_cast<size_t>(i)] = {b * w.H, oy * w.stride_h - w.pad_top, ox * w.stride_w - w.pad_left};
  }
  Im2colGroup g;
  auto flush = [&] {
    if (g.nb == 0) return;
    groups.push_back(std::move(g));
    g = Im2colGroup{};
    in_group.clear();
  };
  for (int64_t kb = k0; kb < k0 + k_len; ++kb) {
    const int64_t s = kb % w.S, cb = (kb / w.S) % channel_blocks, r = kb / (w.S * channel_blocks);
    if (g.nb > 0 && (r != g.r || cb != g.cb)) flush();
    column.resize(static_cast<size_t>(m_len));
    int64_t fresh = 0;
    for (int64_t i = 0; i < m_len; ++i) {
      const Lane& ln = lanes[static_cast<size_t>(i)];
      const int64_t iy = ln.y0 + r * w.dilation, ix = ln.x0 + s * w.dilation;
      const int64_t p = iy < 0 || iy >= w.H || ix < 0 || ix >= w.W ? -1 : (ln.base + iy) * w.W + ix;
      column[static_cast<size_t>(i)] = p;
      if (p >= 0 && !in_group.contains(p)) ++fresh;  // (r, s) fixed: distinct lanes read distinct pixels
    }
    if (g.nb > 0 && g.pixel_count + fresh > max_pixels) flush();
    if (g.nb == 0) {
      g.kb0 = kb;
      g.r = r;
      g.cb = cb;
      g.s0 = s;
    }
    ++g.nb;
    for (int64_t i = 0; i < m_len; ++i) {
      const int64_t p = column[static_cast<size_t>(i)];
      uint32_t a = 0;
      if (p >= 0) {
        if (in_group.insert(p, static_cast<uint32_t>(g.pixel_count))) {
          ++g.pixel_count;
          if (with_addr) g.pixels.push_back(p);
        }
        a = 1 + in_group.index(p);
      }
      if (with_addr) g.addr.push_back(a);
    }
  }
  flush();
  return groups;
}

}  // namespace npusim::mapping
