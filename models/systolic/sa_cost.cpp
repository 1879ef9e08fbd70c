#include "models/systolic/sa_cost.h"

namespace npusim::systolic {

namespace {

int bits_for(int n) {
  int b = 0;
  while ((1 << b) < n) ++b;
  return std::max(b, 1);
}

int64_t get(const LayerStats& st, const char* k) {
  const auto it = st.actions.find(k);
  return it == st.actions.end() ? 0 : it->second;
}

}  // namespace

void finalize_actions(const ArchConfig& arch, const SaGeometry& geo, bool counted_activity, LayerStats& st) {
  const SaShape& s = geo.shape;
  auto& a = st.actions;
  const int64_t slots = get(st, "mac");
  const int mults = s.mults();
  const int64_t dots = slots / mults;
  // Gating hardware (SA-ZVCG, S2TA) skips slots with a zero operand; without it every slot switches.
  const bool gating = sys(arch).activations.mode != "dense" && counted_activity;
  a["mult_active"] = gating ? get(st, "mac_active") : slots;
  a["mult_gated"] = gating ? get(st, "mac_gated") : 0;
  a["acc_update"] = dots;
  a["adder_tree_add"] = dots * (mults - 1);
  if (s.asparse) {
    a["mux_select_bits"] = slots * (s.p - 1) * 8;  // P:1 weight-slot select
    a["index_compare_bits"] = slots * s.p * 4;     // slot index == activation index
  } else if (s.sparse) {
    a["mux_select_bits"] = slots * (s.b - 1) * 8;  // B:1 activation mux per multiplier
  }
  if (const int64_t blocks = get(st, "dap_block")) {
    const int64_t bz = geo.block, iw = bits_for(geo.block);
    a["dap_compare_bits"] = blocks * bz * (bz - 1) / 2 * 9;  // 9-bit magnitudes, one comparator per pair
    a["dap_mux_bits"] = blocks * bz * (bz - 1) * (8 + iw);   // compaction: each slot picks one of BZ
    a["dap_reg_bits"] = blocks * bz * (8 + 1 + 8 + iw);      // stage 1 value + keep, stage 2 value + index
  }
  if (geo.window) {
    a["im2col_reg_bits"] = st.sram_read("act") * 8;  // every loaded byte is written into a bank
    a["im2col_mux_bits"] =
        get(st, "im2col_read") * geo.unit.lanes * geo.unit.b * 8 * bits_for(geo.unit.depth);
  }
}

cost::ActionTable sa_actions() {
  return {
      {"mult_active", {"MACs active", {{"mult_int8", 1}}}},
      {"mult_gated", {"MACs gated", {{"mult_gated", 1}}}},
      {"acc_update", {"accumulators", {{"add32", 1}, {"reg_bit", 32}}}},
      {"adder_tree_add", {"adder trees", {{"add16", 1}}}},
      {"operand_toggle_bits", {"operand registers", {{"reg_bit", 1}}}},
      {"mux_select_bits", {"muxes and index logic", {{"mux2_bit", 1}}}},
      {"index_compare_bits", {"muxes and index logic", {{"cmp_bit", 1}}}},
      {"dap_compare_bits", {"DAP", {{"cmp_bit", 1}}}},
      {"dap_mux_bits", {"DAP", {{"mux2_bit", 1}}}},
      {"dap_reg_bits", {"DAP", {{"reg_bit", 1}}}},
      {"im2col_reg_bits", {"IM2COL", {{"reg_bit", 1}}}},
      {"im2col_mux_bits", {"IM2COL", {{"mux2_bit", 1}}}},
      // Bookkeeping counts that the priced actions above already cover.
      {"mac", {}},
      {"mac_effective", {}},
      {"mac_active", {}},
      {"mac_gated", {}},
      {"fold", {}},
      {"im2col_load", {}},
      {"im2col_read", {}},
      {"im2col_bubble", {}},
      {"dap_block", {}},
  };
}

std::vector<cost::InventoryItem> sa_inventory(const ArchConfig& arch) {
  const SaShape s = sa_shape(arch);
  const double tpes = static_cast<double>(s.rows) * s.cols;
  const int A = s.a, B = s.b, C = s.c, P = s.p, mults = s.mults();
  std::vector<cost::InventoryItem> v;
  v.push_back({"multipliers", "mult_int8", tpes * A * C * mults});
  v.push_back({"accumulators", "add32", tpes * A * C});
  v.push_back({"accumulators", "reg_bit", tpes * A * C * 32});
  if (mults > 1) v.push_back({"adder trees", "add16", tpes * A * C * (mults - 1)});
  if (s.dataflow == 0) {
    // West operand (activations, row valids, first/last, indices) and north operand (weights, indices,
    // column valids) registers of every TPE, plus the row and column skew registers.
    const double row_bus = A * B * 8 + A + 2 + (s.asparse ? A * 4 : 0);
    const double col_bus = C * P * 8 + (s.sparse ? C * P * 4 : 0) + C;
    const double skew = row_bus * s.rows * (s.rows - 1) / 2.0 + col_bus * s.cols * (s.cols - 1) / 2.0;
    v.push_back({"operand registers", "reg_bit", tpes * (row_bus + col_bus) + skew});
    v.push_back({"output registers", "reg_bit", static_cast<double>(s.cols) * A * C * 32});
  } else {
    // WS scalar PE: activation, shadow and active weights, enables, tags; psum chain.
    v.push_back(
        {"operand registers", "reg_bit", tpes * (8 + 8 + 8 + 5) + 10.0 * s.rows * (s.rows - 1) / 2.0});
  }
  if (s.asparse) {
    v.push_back({"muxes and index logic", "mux2_bit", tpes * A * C * (P - 1) * 8});
    v.push_back({"muxes and index logic", "cmp_bit", tpes * A * C * P * 4});
  } else if (s.sparse) {
    v.push_back({"muxes and index logic", "mux2_bit", tpes * A * C * P * (B - 1) * 8});
  }
  if (s.asparse) {
    const DapShape d = dap_unit_shape(arch);
    const double bz = d.bz, iw = bits_for(d.bz);
    v.push_back({"DAP", "cmp_bit", d.lanes * bz * (bz - 1) / 2 * 9});
    v.push_back({"DAP", "mux2_bit", d.lanes * bz * (bz - 1) * (8 + iw)});
    v.push_back({"DAP", "reg_bit", d.lanes * bz * (8 + 1 + 8 + iw)});
  }
  if (sys(arch).im2col == "hardware" && s.dataflow == 0) {
    const Im2colShape u = im2col_unit_shape(arch);
    v.push_back({"IM2COL", "reg_bit", 2.0 * u.depth * u.b * 8 + u.lanes * u.b * 8});
    v.push_back({"IM2COL", "mux2_bit", static_cast<double>(u.lanes) * u.b * 8 * (u.depth - 1)});
  }
  return v;
}

}  // namespace npusim::systolic
