#pragma once
// The cim family's cost-model inputs (DESIGN.md §8): its actions with their prices, its SRAM and its area
// inventory, and the action counts of one layer's activity. Numbers live in configs/tech/*.yaml only.
#include <vector>

#include "models/cim/cim_config.h"
#include "models/cim/layer_work.h"
#include "sim/cost/cost_model.h"
#include "sim/stats/layer_stats.h"

namespace npusim::cim {

cost::ActionTable cim_actions();
std::vector<cost::Memory> cim_memories(const CimConfig& cfg);
std::vector<cost::InventoryItem> cim_area_inventory(const CimConfig& cfg);
// Books the activity's actions and the activation-SRAM traffic into `st`.
void book_activity(const CimConfig& cfg, const LayerActivity& a, LayerStats& st);

}  // namespace npusim::cim
