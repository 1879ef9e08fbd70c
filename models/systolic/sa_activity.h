#pragma once
// Operand activity of an sa_array, for the energy model of zero-value clock gating (SA-ZVCG) and the
// sparse designs: per edge, the multiplier slots that see two non-zero operands (active) vs a zero
// operand (gated, no switching), and the bit toggles of the operand registers. A value entering row
// lane r travels through the registers of every TPE of that row (cols of them), a weight through
// every TPE of its column (rows), so each toggle at the array edge is counted once per register.
// Counts go into LayerStats::actions as mac_active, mac_gated and operand_toggle_bits (flush()).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/systolic/sa_pins.h"

namespace npusim::systolic {

class SaActivity {
 public:
  // `zero_gating`: the design gates multiplier slots with a zero operand, so active and gated slots
  // are counted (otherwise every issued slot switches and only the operand toggles are counted).
  explicit SaActivity(const SaShape& shape, bool zero_gating = true);
  void reset();
  // One edge's inputs (OS or WS; in WS only the operand toggles are counted here). Hot: every cycle.
  void count(const SaInputs& in);
  // Adds the counts since reset() to `actions`.
  void flush(std::map<std::string, int64_t>& actions) const;

 private:
  SaShape shape_;
  bool zero_gating_;
  std::vector<int8_t> prev_a_, prev_w_;
  std::vector<uint8_t> prev_ai_, prev_wi_;
  std::vector<int32_t> rows_nz_;  // per activation lane b: rows with a non-zero value
  int64_t toggles_ = 0, slots_ = 0, active_ = 0;
};

}  // namespace npusim::systolic
