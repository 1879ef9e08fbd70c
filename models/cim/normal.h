#pragma once
// Gaussian samples and indexed sub-streams on top of npusim::Rng. One normal per call (the Box-Muller
// partner is dropped) so a stream's n-th draw never depends on how earlier draws were paired.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/common/rng.h"

namespace npusim::cim {

inline double standard_normal(Rng& rng) {
  const double u1 = 1.0 - rng.uniform01();  // (0, 1], so log() is finite
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// Both Box-Muller outputs of one (u1, u2) draw: for callers that always consume normals in pairs (a
// differential device pair), at half the cost.
inline void standard_normal_pair(Rng& rng, double& n1, double& n2) {
  const double r = std::sqrt(-2.0 * std::log(1.0 - rng.uniform01()));
  const double phi = 6.283185307179586 * rng.uniform01();
  n1 = r * std::cos(phi);
  n2 = r * std::sin(phi);
}

// Stream "<name> <index>" of `seed`: per-tile / per-column streams make results independent of the
// order in which tiles or columns are evaluated.
inline Rng indexed_stream(uint64_t seed, std::string_view name, uint64_t index) {
  return Rng(seed, std::string(name) + " " + std::to_string(index));
}

}  // namespace npusim::cim
