#include "models/systolic/im2col_unit_core.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace npusim::systolic {

Im2colUnitCore::Im2colUnitCore(const Im2colShape& shape)
    : shape_(shape), out_(shape), addr_mask_(static_cast<uint32_t>((1ull << shape.aw()) - 1)) {
  if (shape.lanes < 1 || shape.b < 1 || shape.depth < 1 || shape.lw < 1)
    throw std::invalid_argument("im2col_unit: LANES, B, DEPTH and LW must be >= 1");
  banks_.assign(static_cast<size_t>(2) * shape.depth * shape.b, 0);
}

void Im2colUnitCore::step(const Im2colInputs& in) {
  const Im2colShape& s = shape_;
  if (in.rst) {
    std::fill(banks_.begin(), banks_.end(), 0);
    out_.out_valid = 0;
    std::fill(out_.out_data.begin(), out_.out_data.end(), 0);
    return;
  }
  // Read first: it sees the banks from before this edge's write (nonblocking semantics).
  out_.out_valid = in.rd_valid;
  if (in.rd_valid) {
    for (int i = 0; i < s.lanes; ++i) {
      const uint32_t a = in.rd_addr[i] & addr_mask_;
      int8_t* dst = &out_.out_data[static_cast<size_t>(i) * s.b];
      if (in.rd_mask[i] && a < static_cast<uint32_t>(s.depth))
        std::memcpy(dst, slot(in.rd_bank, static_cast<int>(a)), s.b);
      else
        std::memset(dst, 0, s.b);
    }
  }
  if (in.ld_valid) {
    const uint64_t base = in.ld_addr & addr_mask_;
    for (int l = 0; l < s.lw; ++l) {
      if (!in.ld_mask[l] || base + l >= static_cast<uint64_t>(s.depth)) continue;
      std::memcpy(&banks_[(static_cast<size_t>(in.ld_bank) * s.depth + base + l) * s.b],
                  &in.ld_data[static_cast<size_t>(l) * s.b], s.b);
    }
  }
}

}  // namespace npusim::systolic
