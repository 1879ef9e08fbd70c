#include "models/systolic/dap.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/common/error.h"

namespace npusim::mapping {

TensorI8 dap_prune(const TensorI8& act, int block, int nnz) {
  if (block < 1 || nnz < 0)
    throw InputError("DAP: need block >= 1 and nnz >= 0 (got block " + std::to_string(block) + ", nnz " +
                     std::to_string(nnz) + ")");
  TensorI8 out = act;
  // A rank-0 tensor is one row of one element.
  const int64_t row = act.shape.empty() ? act.size() : act.shape.back();
  if (row == 0 || act.size() == 0) return out;
  std::vector<int> order;
  for (int64_t r0 = 0; r0 < act.size(); r0 += row) {
    for (int64_t b0 = 0; b0 < row; b0 += block) {
      const int n = static_cast<int>(std::min<int64_t>(block, row - b0));
      if (nnz >= n) continue;
      const int8_t* a = &act[r0 + b0];
      order.resize(n);
      for (int i = 0; i < n; ++i) order[i] = i;
      // Larger magnitude first, then lower index: the first nnz survive.
      std::sort(order.begin(), order.end(), [a](int x, int y) {
        const int mx = std::abs(int{a[x]}), my = std::abs(int{a[y]});
        return mx != my ? mx > my : x < y;
      });
      for (int i = nnz; i < n; ++i) out[r0 + b0 + order[i]] = 0;
    }
  }
  return out;
}

DapStats dap_stats(const TensorI8& original, const TensorI8& pruned) {
  if (original.shape != pruned.shape || original.size() != pruned.size())
    throw InputError("DAP stats: original and pruned tensors differ in shape");
  int64_t all = 0, kept = 0, nonzero = 0;
  for (int64_t i = 0; i < original.size(); ++i) {
    all += std::abs(int{original[i]});
    kept += std::abs(int{pruned[i]});
    nonzero += pruned[i] != 0;
  }
  DapStats s;
  s.magnitude_kept = all == 0 ? 1.0 : static_cast<double>(kept) / static_cast<double>(all);
  s.nonzero_fraction =
      original.size() == 0 ? 0.0 : static_cast<double>(nonzero) / static_cast<double>(original.size());
  return s;
}

}  // namespace npusim::mapping
