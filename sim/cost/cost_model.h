#pragma once
// Prices a layer's action counts and a configuration's component inventory with a technology table:
// energy per layer (with a breakdown by category and leakage over the layer's cycles) and area (with a
// breakdown). Every action name a model reports must be either priced here or declared count-only;
// anything else is an error naming the action, so a new action cannot silently cost nothing.
#include <map>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/cost/tech_table.h"
#include "sim/stats/layer_stats.h"

namespace npusim::cost {

// `count` instances of a component (a tech-table area entry), booked under `category`.
struct InventoryItem {
  std::string category;
  std::string component;
  double count = 0;
};

struct AreaReport {
  std::map<std::string, double> by_category_um2;  // logic categories and SRAM buffers
  double logic_um2 = 0, sram_um2 = 0;
  double sram_leak_mw = 0;
  double total_mm2() const { return (logic_um2 + sram_um2) * 1e-6; }
};

// Logic inventory of the family plus the arch's SRAM buffers (act, wgt, out).
AreaReport price_area(const TechTable& tech, const ArchConfig& arch, const std::vector<InventoryItem>& logic);

struct EnergyReport {
  std::map<std::string, double> by_category_pj;
  double total_pj = 0;
};

// Energy of one layer: dynamic energy of its actions and SRAM/DRAM traffic, plus leakage of the whole
// area over its cycles at the arch's clock.
EnergyReport price_layer(const TechTable& tech, const ArchConfig& arch, const LayerStats& st,
                         const AreaReport& area);

// Action names the pricing knows (priced or count-only), for tests and documentation.
std::vector<std::string> known_actions();

}  // namespace npusim::cost
