#pragma once
// The vector/post-processing unit next to the accelerator, the same for every family: runs the layers
// the compute array does not (max/avg pool, elementwise add) on `vector.lanes` int8 lanes, streaming
// operands from and to DRAM through the same port, and the requantization / gate math families book
// on it. Its values are the golden ops' (it has no separate RTL); its cost is the closed form
//   cycles = max(dram_in + dram_out, ceil(ops / lanes)) + kVectorPipelineCycles
// where ops counts one lane operation per window element (pool) or per output element (add).
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/cost/cost_model.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

constexpr int64_t kVectorPipelineCycles = 3;  // read, operate, write

// Cycles, traffic and actions of a pool/add layer; operands stream through the family's memories
// `in_mem` and `out_mem` (its line buffers).
LayerStats vector_unit_cost(const ArchConfig& arch, const Layer& layer, const std::string& in_mem,
                            const std::string& out_mem);

// Actions the vector unit reports (vector_op, requant) and its area: one lane ALU and one
// requantization multiplier per lane.
cost::ActionTable vector_unit_actions();
std::vector<cost::InventoryItem> vector_unit_inventory(const ArchConfig& arch);

}  // namespace npusim
