#pragma once
// Prices a layer's action counts and a configuration's component inventory with a technology table:
// energy per layer (with a breakdown by category and leakage over the layer's cycles) and area (with a
// breakdown). The action names and what one action costs come from the family (Family::actions) and
// the vector unit; an action with no price is an error naming it, so a new action cannot silently
// cost nothing. Every number comes from configs/tech/<node>.yaml.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/cost/tech_table.h"
#include "sim/stats/layer_stats.h"

namespace npusim::cost {

// What one action costs: tech-table energy entries times a count per action, booked under a category.
// No components: a bookkeeping count that other priced actions already cover.
struct ActionPrice {
  std::string category;
  std::vector<std::pair<std::string, double>> components;
};
using ActionTable = std::map<std::string, ActionPrice>;

// `count` instances of a component (a tech-table area entry), booked under `category`.
struct InventoryItem {
  std::string category;
  std::string component;
  double count = 0;
  // false: area that draws no leakage over a run (e.g. non-volatile arrays whose periphery is power-gated
  // while idle); its area still counts.
  bool leaks = true;
};

// An SRAM macro of the design; its area, leakage and access energy come from the tech table's SRAM
// points. Booked as "SRAM <name>"; a layer's traffic is LayerStats::sram_*_bytes[name].
struct Memory {
  std::string name;
  double kib = 0;
};

struct AreaReport {
  std::map<std::string, double> by_category_um2;  // logic categories and SRAM macros
  double logic_um2 = 0, sram_um2 = 0;
  double non_leaking_um2 = 0;  // part of logic_um2 that draws no leakage (InventoryItem::leaks)
  double sram_leak_mw = 0;
  double total_mm2() const { return (logic_um2 + sram_um2) * 1e-6; }
};

AreaReport price_area(const TechTable& tech, const std::vector<Memory>& memories,
                      const std::vector<InventoryItem>& logic);

struct EnergyReport {
  std::map<std::string, double> by_category_pj;
  double total_pj = 0;
};

// Energy of one layer: dynamic energy of its actions and SRAM/DRAM traffic, plus leakage of the whole
// area over its cycles at `clock_mhz`.
EnergyReport price_layer(const TechTable& tech, const ActionTable& actions,
                         const std::vector<Memory>& memories, double clock_mhz, const LayerStats& st,
                         const AreaReport& area);

}  // namespace npusim::cost
