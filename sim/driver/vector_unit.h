#pragma once
// The vector/post-processing unit next to the array: runs the layers the array cannot (max/avg pool,
// elementwise add) on `lanes` int8 lanes, streaming operands from and to DRAM through the same port.
// Its values come from the golden ops (it has no separate RTL); its cost is the closed form
//   cycles = max(dram_in + dram_out, ceil(ops / lanes)) + kPipelineCycles
// where ops counts one lane operation per window element (pool) or per output element (add).
#include "sim/config/arch_config.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

constexpr int64_t kVectorPipelineCycles = 3;  // read, operate, write

LayerStats vector_unit_cost(const ArchConfig& arch, const Layer& layer);

}  // namespace npusim
