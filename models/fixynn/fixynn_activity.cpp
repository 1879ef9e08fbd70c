#include "models/fixynn/fixynn_activity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sim/common/error.h"

namespace npusim::fixynn {

namespace {

// What one conv contributes per output pixel, by window tap, as expectations (exact counts are integers).
struct ConvStats {
  int64_t taps = 1;
  std::vector<double> csd_adds;      // [tap]: sum over non-zero weights at the tap of csd_digits - 1
  std::vector<double> used;          // [tap]: (tap, channel) pairs feeding a non-zero weight
  std::vector<double> nnz;           // [k * taps + tap]: non-zero weights of channel k at the tap
  std::vector<double> bias_nonzero;  // [k]: 1 if the bias add exists
  bool zero_point = false;           // an (x - zp) subtractor per used (tap, channel)
};

ConvStats real_stats(const FixedConv& cv) {
  ConvStats s;
  s.taps = cv.R * cv.S;
  s.csd_adds.assign(s.taps, 0);
  s.used.assign(s.taps, 0);
  s.nnz.assign(cv.K * s.taps, 0);
  const int64_t cin = cv.depthwise ? 1 : cv.C;
  std::vector<char> used(static_cast<size_t>(s.taps * cv.C), 0);
  for (int64_t k = 0; k < cv.K; ++k)
    for (int64_t t = 0; t < s.taps; ++t)
      for (int64_t c = 0; c < cin; ++c) {
        const int w = cv.weights[static_cast<size_t>((k * s.taps + t) * cin + c)];
        if (w == 0) continue;
        s.csd_adds[t] += csd_digits(w) - 1;
        s.nnz[k * s.taps + t] += 1;
        used[static_cast<size_t>(t * cv.C + (cv.depthwise ? k : c))] = 1;
      }
  for (int64_t t = 0; t < s.taps; ++t)
    for (int64_t c = 0; c < cv.C; ++c) s.used[t] += used[static_cast<size_t>(t * cv.C + c)];
  for (int64_t k = 0; k < cv.K; ++k) s.bias_nonzero.push_back(cv.bias[static_cast<size_t>(k)] != 0 ? 1 : 0);
  s.zero_point = cv.input_zero_point != 0;
  return s;
}

// A shape-only conv: density x weights non-zero, mean CSD digits, every (tap, channel) used.
ConvStats assumed_stats(const FixedConv& cv, double density) {
  ConvStats s;
  s.taps = cv.R * cv.S;
  const double cin = cv.depthwise ? 1.0 : static_cast<double>(cv.C);
  const double per_tap_k = density * cin;
  s.nnz.assign(cv.K * s.taps, per_tap_k);
  s.csd_adds.assign(s.taps, per_tap_k * cv.K * (mean_int8_csd_digits() - 1));
  s.used.assign(s.taps, density > 0 ? static_cast<double>(cv.C) : 0.0);
  s.bias_nonzero.assign(cv.K, 1.0);
  s.zero_point = true;
  return s;
}

bool all_zero(const FixedConv& cv) {
  return std::all_of(cv.weights.begin(), cv.weights.end(), [](int8_t w) { return w == 0; });
}

int ceil_log2(int64_t n) {
  int b = 0;
  while ((int64_t{1} << b) < n) ++b;
  return b;
}

struct Counts {
  double const_mult_adds = 0, tree_adds = 0, zero_point_subs = 0, read_pairs = 0;
};

// One output pixel's counts given which taps are in bounds.
Counts pixel_counts(const ConvStats& s, const std::vector<char>& inside) {
  Counts c;
  const size_t K = s.bias_nonzero.size();
  for (int64_t t = 0; t < s.taps; ++t) {
    if (!inside[static_cast<size_t>(t)]) continue;
    c.const_mult_adds += s.csd_adds[t];
    c.read_pairs += s.used[t];
  }
  for (size_t k = 0; k < K; ++k) {
    double terms = s.bias_nonzero[k];
    for (int64_t t = 0; t < s.taps; ++t)
      if (inside[static_cast<size_t>(t)]) terms += s.nnz[k * s.taps + t];
    c.tree_adds += std::max(0.0, terms - 1.0);
  }
  if (s.zero_point) c.zero_point_subs = c.read_pairs;
  return c;
}

// Structural counts over the frame's output raster (padding-aware); toggles are left to the caller.
StageActivity structural(const FixedStage& st, const ConvStats& first, const ConvStats* second, int a_bits) {
  const FixedConv& a = st.first;
  const int64_t d = st.dilation;
  Counts sum;
  std::map<std::vector<char>, Counts> by_mask;  // most pixels share the interior mask
  std::vector<char> inside(static_cast<size_t>(a.R * a.S));
  for (int64_t oy = 0; oy < st.OH; ++oy)
    for (int64_t ox = 0; ox < st.OW; ++ox) {
      for (int64_t i = 0; i < a.R; ++i)
        for (int64_t j = 0; j < a.S; ++j) {
          const int64_t r = oy * st.stride_h - st.pad_top + i * d, c = ox * st.stride_w - st.pad_left + j * d;
          inside[static_cast<size_t>(i * a.S + j)] = r >= 0 && r < st.H && c >= 0 && c < st.W;
        }
      auto it = by_mask.find(inside);
      if (it == by_mask.end()) it = by_mask.emplace(inside, pixel_counts(first, inside)).first;
      sum.const_mult_adds += it->second.const_mult_adds;
      sum.tree_adds += it->second.tree_adds;
      sum.zero_point_subs += it->second.zero_point_subs;
      sum.read_pairs += it->second.read_pairs;
    }
  const double outputs = static_cast<double>(st.OH * st.OW);
  if (second) {  // the fused 1x1: one tap, never padded
    const Counts c = pixel_counts(*second, std::vector<char>{1});
    sum.const_mult_adds += outputs * c.const_mult_adds;
    sum.tree_adds += outputs * c.tree_adds;
    sum.zero_point_subs += outputs * c.zero_point_subs;
  }
  StageActivity r;
  r.input_pixels = st.H * st.W;
  r.output_pixels = st.OH * st.OW;
  r.const_mult_adds = std::llround(sum.const_mult_adds);
  r.tree_adds = std::llround(sum.tree_adds);
  r.zero_point_subs = std::llround(sum.zero_point_subs);
  r.requant_mults = r.output_pixels * (a.K + (st.fused ? st.second.K : 0));
  r.lb_write_bits = r.input_pixels * st.in_channels() * a_bits;
  r.lb_read_bits = std::llround(sum.read_pairs) * a_bits;
  r.lb_mux_bits = r.lb_read_bits * ceil_log2(st.buffer_rows() * st.W);
  return r;
}

int popcount8(uint8_t v) {
  int n = 0;
  for (; v; v &= static_cast<uint8_t>(v - 1)) ++n;
  return n;
}

}  // namespace

int csd_digits(int64_t v) {
  // Non-adjacent form: an odd remainder becomes a +1 or -1 digit chosen so the next digit is 0.
  int n = 0;
  while (v != 0) {
    if (v & 1) {
      const int64_t digit = 2 - (((v % 4) + 4) % 4);  // +1 if v = 1 mod 4, -1 if v = 3 mod 4
      v -= digit;
      ++n;
    }
    v /= 2;
  }
  return n;
}

double mean_int8_csd_digits() {
  int sum = 0;
  for (int w = -128; w <= 127; ++w) sum += csd_digits(w);
  return sum / 255.0;
}

int64_t raster_toggle_bits(const TensorI8& t, int64_t pixel_size) {
  if (pixel_size <= 0 || t.size() % pixel_size != 0)
    throw InputError("fixynn activity: a tensor of " + std::to_string(t.size()) + " values is not made of " +
                     std::to_string(pixel_size) + "-value pixels");
  const int64_t n = t.size() / pixel_size;
  int64_t bits = 0;
  for (int64_t p = 0; p < n; ++p) {
    const int64_t prev = (p == 0 ? n - 1 : p - 1) * pixel_size;
    for (int64_t b = 0; b < pixel_size; ++b)
      bits += popcount8(static_cast<uint8_t>(t[p * pixel_size + b] ^ t[prev + b]));
  }
  return bits;
}

StageActivity count_stage_activity(const FixedStage& st, const TensorI8& input, const TensorI8& output,
                                   int a_bits) {
  const int64_t C = st.in_channels(), K = st.out_channels();
  if (input.shape != std::vector<int64_t>{st.H, st.W, C} ||
      output.shape != std::vector<int64_t>{st.OH, st.OW, K})
    throw InputError("fixynn activity: stage '" + st.name + "' takes [" + std::to_string(st.H) + "][" +
                     std::to_string(st.W) + "][" + std::to_string(C) + "] and gives [" +
                     std::to_string(st.OH) + "][" + std::to_string(st.OW) + "][" + std::to_string(K) +
                     "]; the frame has other shapes");
  const ConvStats first = real_stats(st.first);
  ConvStats second;
  if (st.fused) second = real_stats(st.second);
  StageActivity r = structural(st, first, st.fused ? &second : nullptr, a_bits);
  r.in_reg_toggle_bits = raster_toggle_bits(input, C);
  r.out_reg_toggle_bits = raster_toggle_bits(output, K);
  // Register line buffer: row r goes to slot r mod rows; its previous content is row r - rows of this
  // frame, or for the first rows the last row the (identical) previous frame wrote to that slot.
  const int64_t rows = st.buffer_rows();
  for (int64_t y = 0; y < st.H; ++y) {
    int64_t old = y - rows;
    if (old < 0) {
      old = -1;
      for (int64_t q = st.H - 1; q >= 0; --q)
        if (q % rows == y % rows) {
          old = q;
          break;
        }
    }
    for (int64_t x = 0; x < st.W; ++x)
      for (int64_t c = 0; c < C; ++c) {
        const int8_t now = input[(y * st.W + x) * C + c];
        const int8_t before = old < 0 ? int8_t{0} : input[(old * st.W + x) * C + c];
        r.lb_write_toggle_bits += popcount8(static_cast<uint8_t>(now ^ before));
      }
  }
  return r;
}

StageActivity estimate_stage_activity(const FixedStage& st, const FastActivityAssumptions& assume,
                                      int a_bits) {
  if (assume.weight_density < 0 || assume.weight_density > 1 || assume.toggle_rate < 0 ||
      assume.toggle_rate > 1)
    throw InputError("fixynn activity: weight_density and toggle_rate must lie in [0, 1]");
  const bool shape_only = all_zero(st.first) && (!st.fused || all_zero(st.second));
  const ConvStats first = shape_only ? assumed_stats(st.first, assume.weight_density) : real_stats(st.first);
  ConvStats second;
  if (st.fused) second = shape_only ? assumed_stats(st.second, assume.weight_density) : real_stats(st.second);
  StageActivity r = structural(st, first, st.fused ? &second : nullptr, a_bits);
  const double rate = assume.toggle_rate;
  r.in_reg_toggle_bits = std::llround(rate * static_cast<double>(r.lb_write_bits));
  r.out_reg_toggle_bits =
      std::llround(rate * static_cast<double>(r.output_pixels * st.out_channels() * a_bits));
  r.lb_write_toggle_bits = std::llround(rate * static_cast<double>(r.lb_write_bits));
  return r;
}

}  // namespace npusim::fixynn
