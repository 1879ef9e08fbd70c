#include "sim/driver/quant_choice.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/common/rng.h"

namespace npusim {

int32_t choose_output_zero_point(uint64_t seed, const Layer& l, bool symmetric) {
  if (symmetric) return 0;
  Rng q(seed, "qparams:" + l.name);
  const auto [lo, hi] = quant::int_range(l.a_bits);
  return static_cast<int32_t>(q.uniform(lo / 4, hi / 4));
}

quant::Requant choose_requant(uint64_t seed, const Layer& l, const TensorI32& acc, int32_t out_zp) {
  const int64_t K = acc.shape.back();
  std::vector<int32_t> maxabs(static_cast<size_t>(K), 1);
  for (int64_t i = 0; i < acc.size(); ++i) {
    auto& m = maxabs[static_cast<size_t>(i % K)];
    m = std::max<int32_t>(m, acc[i] == INT32_MIN ? INT32_MAX : std::abs(acc[i]));
  }
  Rng r(seed, "rescale:" + l.name);
  const auto [lo, hi] = quant::int_range(l.a_bits);
  // The room on the narrower side of the zero point, so neither sign saturates.
  const double room = std::min(hi - out_zp, out_zp - lo);
  std::vector<double> real(static_cast<size_t>(K));
  for (size_t k = 0; k < real.size(); ++k) real[k] = room / maxabs[k] * (0.8 + 0.2 * r.uniform01());
  return quant::make_requant(real, out_zp, l.a_bits);
}


quant::AddParams choose_add_params(const QTensor& a, const QTensor& b, int32_t out_zp, int bits, double* out_scale) {
  double maxabs = 0;
  for (int64_t i = 0; i < a.t.size(); ++i)
    maxabs = std::max(maxabs, std::abs(a.scale * (a.t[i] - a.zero_point) + b.scale * (b.t[i] - b.zero_point)));
  const auto [lo, hi] = quant::int_range(bits);
  const double room = std::min(hi - out_zp, out_zp - lo);
  // TFLite needs an output multiplier < 1: the output scale may not be below 2 max(s1, s2) / 2^20.
  const double floor_scale = 2.0 * std::max(a.scale, b.scale) / (1 << 19);
  *out_scale = std::max(maxabs / std::max(room, 1.0), floor_scale);
  return quant::make_add_params(a.scale, a.zero_point, b.scale, b.zero_point, *out_scale, out_zp, bits);
}

double saturated_fraction(const TensorI8& t, int bits, std::optional<int32_t> zero_point) {
  if (t.size() == 0) return 0;
  const auto [lo, hi] = quant::int_range(bits);
  int64_t n = 0;
  for (int64_t i = 0; i < t.size(); ++i) n += (t[i] == lo || t[i] == hi) && (!zero_point || t[i] != *zero_point);
  return static_cast<double>(n) / t.size();
}

}  // namespace npusim
