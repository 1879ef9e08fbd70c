#include "sim/cost/cost_model.h"

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::cost {

AreaReport price_area(const TechTable& tech, const std::vector<Memory>& memories,
                      const std::vector<InventoryItem>& logic) {
  AreaReport a;
  for (const auto& it : logic) {
    const double um2 = it.count * tech.area_um2(it.component);
    a.by_category_um2[it.category] += um2;
    a.logic_um2 += um2;
    if (!it.leaks) a.non_leaking_um2 += um2;
  }
  for (const auto& m : memories) {
    const SramCost c = tech.sram(m.kib);
    a.by_category_um2["SRAM " + m.name] += c.area_mm2 * 1e6;
    a.sram_um2 += c.area_mm2 * 1e6;
    a.sram_leak_mw += c.leak_mw;
  }
  return a;
}

EnergyReport price_layer(const TechTable& tech, const ActionTable& actions,
                         const std::vector<Memory>& memories, double clock_mhz, const LayerStats& st,
                         const AreaReport& area) {
  EnergyReport e;
  for (const auto& [action, count] : st.actions) {
    const auto it = actions.find(action);
    if (it == actions.end())
      throw InputError("energy model: no price for action " + quote(action) + " of layer " + quote(st.name) +
                       " (the family's action table must declare it)");
    double pj = 0;
    for (const auto& [component, per] : it->second.components) pj += per * tech.energy_pj(component);
    if (!it->second.components.empty())
      e.by_category_pj[it->second.category] += pj * static_cast<double>(count);
  }
  for (const auto& m : memories) {
    const SramCost c = tech.sram(m.kib);
    e.by_category_pj["SRAM " + m.name] +=
        8.0 * (st.sram_read(m.name) * c.read_pj_per_bit + st.sram_write(m.name) * c.write_pj_per_bit);
  }
  for (const auto* side : {&st.sram_read_bytes, &st.sram_write_bytes})
    for (const auto& [name, bytes] : *side) {
      bool known = false;
      for (const auto& m : memories) known = known || m.name == name;
      if (!known && bytes)
        throw InputError("energy model: layer " + quote(st.name) + " moved bytes through memory " +
                         quote(name) + ", which the configuration does not have");
    }
  e.by_category_pj["DRAM"] += 8.0 * static_cast<double>(st.dram_bytes()) * tech.energy_pj("dram_bit");
  // Leakage of everything (logic and SRAM) while the layer runs.
  const double seconds = static_cast<double>(st.cycles) / (clock_mhz * 1e6);
  const double watts = (area.logic_um2 - area.non_leaking_um2) * tech.logic_leak_nw_per_um2() * 1e-9 +
                       area.sram_leak_mw * 1e-3;
  e.by_category_pj["leakage"] += watts * seconds * 1e12;
  for (const auto& [k, v] : e.by_category_pj) e.total_pj += v;
  return e;
}

}  // namespace npusim::cost
