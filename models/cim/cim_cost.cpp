#include "models/cim/cim_cost.h"

#include <cmath>
#include <string>

namespace npusim::cim {
namespace {
std::string adc_action(int bits) {
  return "cim_adc_" + std::to_string(bits) + "b";
}
}  // namespace

cost::ActionTable cim_actions() {
  cost::ActionTable t;
  t["mac"] = {"analog MACs", {}};  // bookkeeping: the array's energy is in the two actions below
  t["cim_dac_row_slot"] = {"PWM drivers", {{"cim_dac_row_slot", 1}}};
  t["cim_cell_ns_slot"] = {"PCM array reads", {{"cim_cell_ns_slot", 1}}};
  // One action per ADC width; the tech table prices the widths it has sources for (others: an error
  // naming the component).
  for (int b = 2; b <= 16; ++b) t[adc_action(b)] = {"ADC", {{adc_action(b), 1}}};
  t["cim_psum_add"] = {"periphery", {{"add32", 1}}};
  t["cim_ldpu_op"] = {"periphery", {{"cim_ldpu_op", 1}}};
  return t;
}

std::vector<cost::Memory> cim_memories(const CimConfig& cfg) {
  return {{"act", static_cast<double>(cfg.act_sram_kib)}};
}

std::vector<cost::InventoryItem> cim_area_inventory(const CimConfig& cfg) {
  const double tile = static_cast<double>(cfg.tile_rows * cfg.tile_cols) / (256.0 * 256.0);
  // Non-volatile PCM; layer-serial, so a tile's drivers and ADCs are power-gated except while its layer
  // runs. Their leakage while active has no source and is not modelled (docs/cim.md).
  return {{"PCM tiles", "cim_tile_256x256", static_cast<double>(cfg.tiles) * tile, false},
          {"periphery", "cim_ldpu_lane", static_cast<double>(cfg.lanes_out)}};
}

void book_activity(const CimConfig& cfg, const LayerActivity& a, LayerStats& st) {
  st.actions["cim_dac_row_slot"] += a.dac_slot_rows;
  st.actions["cim_cell_ns_slot"] += static_cast<int64_t>(std::llround(a.cell_us_slots * 1000.0));
  st.actions[adc_action(cfg.adc_bits)] += a.adc_conversions;
  st.actions["cim_psum_add"] += a.psum_adds;
  st.actions["cim_ldpu_op"] += a.periphery_ops;
  st.sram_read_bytes["act"] += a.input_bytes;
  st.sram_write_bytes["act"] += a.output_bytes;
}

}  // namespace npusim::cim
