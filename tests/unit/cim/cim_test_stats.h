#pragma once
// Sample statistics for the device tests; tolerances are multiples of the standard error.
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/common/rng.h"

namespace npusim::cim::test {

struct Moments {
  double mean = 0, std = 0;
  size_t n = 0;
  double se_mean() const { return std / std::sqrt(static_cast<double>(n)); }
  // Standard error of the sample std for near-normal data: sigma / sqrt(2 (n - 1)).
  double se_std() const { return std / std::sqrt(2.0 * (n - 1)); }
};

inline Moments moments(const std::vector<double>& v) {
  Moments m;
  m.n = v.size();
  for (double x : v) m.mean += x;
  m.mean /= m.n;
  double ss = 0;
  for (double x : v) ss += (x - m.mean) * (x - m.mean);
  m.std = std::sqrt(ss / (m.n - 1));
  return m;
}

inline double phi_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// n integers uniform in [lo, hi] from the seeded test stream.
inline std::vector<int32_t> random_ints(size_t n, int lo, int hi, uint64_t seed) {
  Rng rng(seed, "test data");
  std::vector<int32_t> v(n);
  for (auto& x : v) x = static_cast<int32_t>(rng.uniform(lo, hi));
  return v;
}

}  // namespace npusim::cim::test
