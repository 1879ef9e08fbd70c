#include "models/systolic/sa_activity.h"

#include <cstring>

namespace npusim::systolic {

namespace {

// Bit flips between the previous and the current bus value, 8 lanes of 8 bits per popcount (4-bit
// index lanes only ever hold their low 4 bits).
template <class T>
int64_t toggles(const std::vector<T>& cur, std::vector<T>& prev) {
  static_assert(sizeof(T) == 1, "byte lanes");
  int64_t n = 0;
  const size_t len = cur.size();
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t a, b;
    std::memcpy(&a, &cur[i], 8);
    std::memcpy(&b, &prev[i], 8);
    n += __builtin_popcountll(a ^ b);
  }
  for (; i < len; ++i) n += __builtin_popcount(static_cast<uint8_t>(cur[i] ^ prev[i]));
  std::memcpy(prev.data(), cur.data(), len);
  return n;
}

}  // namespace

SaActivity::SaActivity(const SaShape& shape, bool zero_gating) : shape_(shape), zero_gating_(zero_gating) {
  reset();
}

void SaActivity::reset() {
  prev_a_.assign(static_cast<size_t>(shape_.act_lanes()), 0);
  prev_ai_.assign(static_cast<size_t>(shape_.act_rows()), 0);
  prev_w_.assign(static_cast<size_t>(shape_.wgt_lanes()), 0);
  prev_wi_.assign(static_cast<size_t>(shape_.wgt_lanes()), 0);
  rows_nz_.assign(static_cast<size_t>(shape_.b), 0);
  toggles_ = slots_ = active_ = 0;
}

void SaActivity::flush(std::map<std::string, int64_t>& actions) const {
  actions["operand_toggle_bits"] += toggles_;
  if (!zero_gating_) return;
  actions["mac_active"] += active_;
  actions["mac_gated"] += slots_ - active_;
}

void SaActivity::count(const SaInputs& in) {
  const int arows = shape_.act_rows(), wcols = shape_.wgt_cols(), B = shape_.b, P = shape_.p;
  // Registers see the bus every edge (valid or not): row lanes pass `cols` TPEs, column lanes `rows`.
  int64_t t = toggles(in.a_in, prev_a_) * shape_.cols;
  if (shape_.dataflow == 0) {
    t += toggles(in.w_in, prev_w_) * shape_.rows;
    if (shape_.sparse) t += toggles(in.w_idx, prev_wi_) * shape_.rows;
    if (shape_.asparse) t += toggles(in.a_idx, prev_ai_) * shape_.cols;
  }
  toggles_ += t;
  if (!zero_gating_ || !in.in_valid || shape_.dataflow == 1)
    return;  // WS MACs are counted by the engine's weight map
  int64_t slots = 0, active = 0;
  if (shape_.asparse) {
    for (int q = 0; q < wcols; ++q) {
      if (!in.w_mask[static_cast<size_t>(q)]) continue;
      int32_t lut[16] = {};
      for (int p = 0; p < P; ++p) {
        const size_t k = static_cast<size_t>(q) * P + p;
        lut[in.w_idx[k] & 15] |= in.w_in[k];
      }
      for (int ar = 0; ar < arows; ++ar) {
        if (!in.a_mask[static_cast<size_t>(ar)]) continue;
        ++slots;
        active += in.a_in[static_cast<size_t>(ar)] != 0 && lut[in.a_idx[static_cast<size_t>(ar)] & 15] != 0;
      }
    }
  } else {
    int64_t on_rows = 0;
    std::fill(rows_nz_.begin(), rows_nz_.end(), 0);
    for (int ar = 0; ar < arows; ++ar) {
      if (!in.a_mask[static_cast<size_t>(ar)]) continue;
      ++on_rows;
      for (int b = 0; b < B; ++b)
        rows_nz_[static_cast<size_t>(b)] += in.a_in[static_cast<size_t>(ar) * B + b] != 0;
    }
    for (int q = 0; q < wcols; ++q) {
      if (!in.w_mask[static_cast<size_t>(q)]) continue;
      slots += on_rows * P;
      for (int p = 0; p < P; ++p) {
        const size_t k = static_cast<size_t>(q) * P + p;
        const int b = shape_.sparse ? in.w_idx[k] : p;
        if (in.w_in[k] != 0 && b < B) active += rows_nz_[static_cast<size_t>(b)];
      }
    }
  }
  active_ += active;
  slots_ += slots;
}

}  // namespace npusim::systolic
