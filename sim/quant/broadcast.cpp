#include "sim/quant/broadcast.h"

#include <algorithm>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {

std::vector<int64_t> broadcast_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                                     const std::string& what) {
  const size_t rank = std::max(a.size(), b.size());
  if (rank > 6)
    throw InputError(what + ": broadcasting supports at most 6 dimensions, got " + std::to_string(rank));
  std::vector<int64_t> out(rank);
  for (size_t k = 0; k < rank; ++k) {
    // Aligned at the trailing axis; a missing leading axis counts as 1.
    const int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    const int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw InputError(what + ": shapes " + shape_str(a) + " and " + shape_str(b) + " do not broadcast");
    }
    out[k] = da == 1 ? db : da;
  }
  return out;
}

void broadcast_indices(const std::vector<int64_t>& a, const std::vector<int64_t>& b, const std::string& what,
                       std::vector<int64_t>* out_shape, std::vector<int64_t>* ia, std::vector<int64_t>* ib) {
  *out_shape = broadcast_shape(a, b, what);
  const size_t rank = out_shape->size();
  // Per-axis element strides of each operand in the output's rank; 0 where it repeats.
  auto strides = [&](const std::vector<int64_t>& s) {
    std::vector<int64_t> st(rank, 0);
    int64_t step = 1;
    for (size_t k = rank; k-- > 0;) {
      const size_t pad = rank - s.size();
      if (k < pad) break;
      const int64_t d = s[k - pad];
      st[k] = d == 1 ? 0 : step;
      step *= d;
    }
    return st;
  };
  const std::vector<int64_t> sa = strides(a), sb = strides(b);
  const int64_t n = Tensor<int8_t>::count(*out_shape);
  ia->assign(static_cast<size_t>(n), 0);
  ib->assign(static_cast<size_t>(n), 0);
  std::vector<int64_t> idx(rank, 0);
  int64_t pa = 0, pb = 0;
  for (int64_t i = 0; i < n; ++i) {
    (*ia)[static_cast<size_t>(i)] = pa;
    (*ib)[static_cast<size_t>(i)] = pb;
    // Odometer increment of the output index, keeping both operand offsets in step.
    for (size_t k = rank; k-- > 0;) {
      ++idx[k];
      pa += sa[k];
      pb += sb[k];
      if (idx[k] < (*out_shape)[k]) break;
      pa -= sa[k] * idx[k];
      pb -= sb[k] * idx[k];
      idx[k] = 0;
    }
  }
}

}  // namespace npusim::quant
