#include "sim/cost/cost_model.h"

#include <set>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::cost {

namespace {

struct Rule {
  const char* category;
  std::vector<std::pair<const char*, double>> components;  // tech energy entry, count per action
};

// What one action costs. The models derive these from what they simulated (models/systolic/sa_cost.*).
const std::map<std::string, Rule>& rules() {
  static const std::map<std::string, Rule> r = {
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
      {"requant", {"post-processing", {{"mult_int32", 1}, {"add32", 1}}}},
      {"vector_op", {"post-processing", {{"add16", 1}}}},
  };
  return r;
}

// Bookkeeping counts that the priced actions above already cover.
const std::set<std::string>& count_only() {
  static const std::set<std::string> s = {"mac",         "mac_effective", "mac_active",    "mac_gated",
                                          "im2col_load", "im2col_read",   "im2col_bubble", "dap_block"};
  return s;
}

}  // namespace

std::vector<std::string> known_actions() {
  std::vector<std::string> v;
  for (const auto& [k, r] : rules()) v.push_back(k);
  for (const auto& k : count_only()) v.push_back(k);
  return v;
}

AreaReport price_area(const TechTable& tech, const ArchConfig& arch,
                      const std::vector<InventoryItem>& logic) {
  AreaReport a;
  for (const auto& it : logic) {
    const double um2 = it.count * tech.area_um2(it.component);
    a.by_category_um2[it.category] += um2;
    a.logic_um2 += um2;
  }
  const std::pair<const char*, int64_t> buffers[] = {
      {"SRAM act", arch.act_kib}, {"SRAM wgt", arch.wgt_kib}, {"SRAM out", arch.out_kib}};
  for (const auto& [name, kib] : buffers) {
    const SramCost c = tech.sram(static_cast<double>(kib));
    a.by_category_um2[name] += c.area_mm2 * 1e6;
    a.sram_um2 += c.area_mm2 * 1e6;
    a.sram_leak_mw += c.leak_mw;
  }
  return a;
}

EnergyReport price_layer(const TechTable& tech, const ArchConfig& arch, const LayerStats& st,
                         const AreaReport& area) {
  EnergyReport e;
  for (const auto& [action, count] : st.actions) {
    if (count_only().count(action)) continue;
    const auto it = rules().find(action);
    if (it == rules().end())
      throw InputError("energy model: no price for action " + quote(action) + " of layer " + quote(st.name) +
                       " (add it to sim/cost/cost_model.cpp)");
    double pj = 0;
    for (const auto& [component, per] : it->second.components) pj += per * tech.energy_pj(component);
    e.by_category_pj[it->second.category] += pj * static_cast<double>(count);
  }
  const std::tuple<const char*, int64_t, int64_t, int64_t> buffers[] = {
      {"SRAM act", arch.act_kib, st.sram_read_bytes.act, st.sram_write_bytes.act},
      {"SRAM wgt", arch.wgt_kib, st.sram_read_bytes.wgt, st.sram_write_bytes.wgt},
      {"SRAM out", arch.out_kib, st.sram_read_bytes.out, st.sram_write_bytes.out}};
  for (const auto& [name, kib, rd, wr] : buffers) {
    const SramCost c = tech.sram(static_cast<double>(kib));
    e.by_category_pj[name] += 8.0 * (rd * c.read_pj_per_bit + wr * c.write_pj_per_bit);
  }
  e.by_category_pj["DRAM"] += 8.0 * static_cast<double>(st.dram_bytes()) * tech.energy_pj("dram_bit");
  // Leakage of everything (logic and SRAM) while the layer runs.
  const double seconds = static_cast<double>(st.cycles) / (arch.clock_mhz * 1e6);
  const double watts = area.logic_um2 * tech.logic_leak_nw_per_um2() * 1e-9 + area.sram_leak_mw * 1e-3;
  e.by_category_pj["leakage"] += watts * seconds * 1e12;
  for (const auto& [k, v] : e.by_category_pj) e.total_pj += v;
  return e;
}

}  // namespace npusim::cost
