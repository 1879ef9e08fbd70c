#pragma once
// The FixyNN front end's priced actions (sim/cost): names for the counts of fixynn_activity.h, what each
// costs in technology-table components, the line buffers as SRAM macros (line_buffer: sram) and the
// front end's component inventory for the npusim area model.
#include <string>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "models/fixynn/fixynn_activity.h"
#include "sim/cost/cost_model.h"
#include "sim/stats/layer_stats.h"

namespace npusim::fixynn {

// Line-buffer SRAM macro of stage s (line_buffer: sram): "fixynn_lb<s>".
std::string line_buffer_memory(size_t stage);

// Adds one stage's frame counts to st: actions, and with line_buffer "sram" the buffer's bytes as SRAM
// traffic of line_buffer_memory(stage) instead of register toggles and mux bits. count_input_register:
// the input register is the previous stage's output register in a chain, so only the first stage
// counts it. InputError for a line_buffer other than registers | sram.
void add_stage_actions(const StageActivity& a, size_t stage, bool count_input_register,
                       const std::string& line_buffer, LayerStats& st);

// What each action add_stage_actions reports costs.
cost::ActionTable fixynn_actions();

// One SRAM macro per stage with line_buffer "sram" (buffer_rows() x W x C x a_bits bits), none otherwise.
std::vector<cost::Memory> fixynn_memories(const FixedNet& net, const std::string& line_buffer);

// The front end's logic in table components: constant-multiplier adders (CSD digits - 1 per non-zero
// weight), adder trees, requantization multipliers, line-buffer registers and read muxes (registers),
// input/output registers. An estimate from the same structure the activity counts; synthesis
// (fixynn_synth.h) is the other estimate.
std::vector<cost::InventoryItem> fixynn_inventory(const FixedNet& net, const std::string& line_buffer);

}  // namespace npusim::fixynn
