#include "models/systolic/dbb.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "sim/common/error.h"

namespace npusim::mapping {

namespace {

// Calls f(offsets of one block) for every (filter, kernel position, channel block).
template <class F>
void for_each_block(const TensorI8& w, int64_t R, int64_t S, int64_t Cpg, int bz, F f) {
  const int64_t K = w.size() / (R * S * Cpg);
  std::vector<int64_t> offs;
  for (int64_t k = 0; k < K; ++k)
    for (int64_t pos = 0; pos < R * S; ++pos)
      for (int64_t c0 = 0; c0 < Cpg; c0 += bz) {
        offs.clear();
        for (int64_t c = c0; c < std::min(Cpg, c0 + bz); ++c) offs.push_back((k * R * S + pos) * Cpg + c);
        f(offs);
      }
}

}  // namespace

TensorI8 prune_dbb(const TensorI8& weights, int64_t R, int64_t S, int64_t Cpg, int bz, int nnz) {
  if (bz < 1 || nnz < 1 || nnz > bz) throw InputError("DBB: need 1 <= nnz <= block");
  TensorI8 out = weights;
  for_each_block(weights, R, S, Cpg, bz, [&](const std::vector<int64_t>& offs) {
    if (static_cast<int>(offs.size()) <= nnz) return;
    std::vector<int64_t> order = offs;
    // Larger magnitude first; equal magnitudes keep channel order (lower index wins).
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t x, int64_t y) { return std::abs(int{weights[x]}) > std::abs(int{weights[y]}); });
    for (size_t i = static_cast<size_t>(nnz); i < order.size(); ++i) out[order[i]] = 0;
  });
  return out;
}

int max_block_nnz(const TensorI8& weights, int64_t R, int64_t S, int64_t Cpg, int bz) {
  int most = 0;
  for_each_block(weights, R, S, Cpg, bz, [&](const std::vector<int64_t>& offs) {
    int n = 0;
    for (int64_t o : offs) n += weights[o] != 0;
    most = std::max(most, n);
  });
  return most;
}

int64_t dbb_footprint_bytes(int64_t blocks, int64_t columns, int bz, int nnz) {
  int idx_bits = 0;
  while ((1 << idx_bits) < bz) ++idx_bits;
  return (blocks * columns * nnz * (8 + idx_bits) + 7) / 8;
}

}  // namespace npusim::mapping
