#pragma once
// What the energy and area model needs from the systolic family: the priced actions derived from what
// the engine (or the closed form) counted, and the component inventory of a configuration. The
// derivations follow the RTL's structure (rtl/systolic/sa_pe.v, sa_array.v, im2col_unit.v,
// dap_unit.v); sim/cost prices them with the technology table.
#include <vector>

#include "models/systolic/sa_geometry.h"
#include "models/systolic/systolic_config.h"
#include "sim/cost/cost_model.h"
#include "sim/stats/layer_stats.h"

namespace npusim::systolic {

// Adds mult_active/gated, acc_update, adder_tree_add, mux/index, DAP and IM2COL bit actions to
// st.actions from the issued slots and unit counts. `counted_activity`: operand toggles and zero
// operands were counted from real values (cycle model); otherwise (closed form) toggles are already an
// estimate and every issued slot is taken as active.
void finalize_actions(const ArchConfig& arch, const SaGeometry& geo, bool counted_activity, LayerStats& st);

// What each action the engine, the closed form and finalize_actions report costs (the family's action
// table for sim/cost).
cost::ActionTable sa_actions();

// Components of the configuration (logic only; SRAM buffers are priced from the arch's sizes).
std::vector<cost::InventoryItem> sa_inventory(const ArchConfig& arch);

}  // namespace npusim::systolic
