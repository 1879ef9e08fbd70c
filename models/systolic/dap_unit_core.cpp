#include "models/systolic/dap_unit_core.h"

#include <stdexcept>

namespace npusim::systolic {

namespace {

// |a| with |-128| = 128.
int magnitude(int8_t a) {
  return a < 0 ? -int{a} : int{a};
}

// Keep mask of one block by ranking, as the RTL's comparator matrix does (deliberately not the golden
// model's sort): element i is kept iff fewer than `keep_n` elements beat it.
void keep_mask(const int8_t* a, int bz, int keep_n, uint8_t* keep) {
  for (int i = 0; i < bz; ++i) {
    const int mi = magnitude(a[i]);
    int rank = 0;
    for (int j = 0; j < bz; ++j) {
      const int mj = magnitude(a[j]);
      rank += mj > mi || (mj == mi && j < i);
    }
    keep[i] = rank < keep_n;
  }
}

}  // namespace

DapUnitCore::DapUnitCore(const DapShape& shape) : shape_(shape), out_(shape) {
  if (shape.lanes < 1 || shape.bz < 1 || shape.bz > 16)
    throw std::invalid_argument("dap_unit: need LANES >= 1 and 1 <= BZ <= 16");
  s1_data_.assign(shape.elems(), 0);
  s1_keep_.assign(shape.elems(), 0);
}

void DapUnitCore::step(const DapInputs& in) {
  const int bz = shape_.bz;
  if (in.in_data.size() != s1_data_.size())
    throw std::invalid_argument("dap_unit: in_data must hold LANES*BZ values");
  if (in.rst) {
    s1_valid_ = 0;
    std::fill(s1_data_.begin(), s1_data_.end(), 0);
    std::fill(s1_keep_.begin(), s1_keep_.end(), 0);
    out_.out_valid = 0;
    std::fill(out_.out_data.begin(), out_.out_data.end(), 0);
    std::fill(out_.out_idx.begin(), out_.out_idx.end(), 0);
    return;
  }
  // Stage 2 first: it compacts the stage-1 registers from before this edge (nonblocking semantics).
  // Both stages load on every edge; the valid bits only travel alongside.
  out_.out_valid = s1_valid_;
  for (int l = 0; l < shape_.lanes; ++l) {
    const size_t base = static_cast<size_t>(l) * bz;
    int slot = 0;
    for (int c = 0; c < bz; ++c) {
      if (!s1_keep_[base + c]) continue;
      out_.out_data[base + slot] = s1_data_[base + c];
      out_.out_idx[base + slot] = static_cast<uint8_t>(c);
      ++slot;
    }
    for (; slot < bz; ++slot) {
      out_.out_data[base + slot] = 0;
      out_.out_idx[base + slot] = 0;
    }
  }
  // Stage 1.
  const int keep_n = std::min<int>(in.nnz & 31u, bz);
  s1_valid_ = in.in_valid;
  s1_data_ = in.in_data;
  for (int l = 0; l < shape_.lanes; ++l) {
    const size_t base = static_cast<size_t>(l) * bz;
    keep_mask(&in.in_data[base], bz, keep_n, &s1_keep_[base]);
  }
}

}  // namespace npusim::systolic
