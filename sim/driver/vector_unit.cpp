#include "sim/driver/vector_unit.h"

#include <algorithm>
#include <cmath>

#include "sim/workload/graph.h"

namespace npusim {

LayerStats vector_unit_cost(const ArchConfig& arch, const Layer& l, const std::string& in_mem,
                            const std::string& out_mem) {
  LayerStats st;
  st.unit = "vector";
  const bool pool = l.op == OpType::MaxPool || l.op == OpType::AvgPool;
  int64_t in_bytes = 0, out_elems = 0, ops = 0;
  if (l.from_model() && !pool) {
    // A model's op: every activation input streams in once (a concatenation's inputs add up to its
    // output); one lane operation per output element, per input element for a reduction (MEAN).
    out_elems = graph::element_count(graph::output_shape(l));
    const int64_t first = graph::element_count(graph::input_shape(l));
    in_bytes = l.op == OpType::Concat ? out_elems : first * static_cast<int64_t>(l.inputs.size());
    ops = l.op == OpType::Mean ? first : out_elems;
  } else {
    const int64_t in_elems = l.batch * l.H * l.W * l.C;
    out_elems = l.batch * l.out_h * l.out_w * l.K;
    const bool is_add = l.op == OpType::Add;
    in_bytes = (is_add ? 2 : 1) * in_elems;
    ops = is_add ? out_elems : out_elems * l.R * l.S;
  }
  auto dma = [&](int64_t b) { return static_cast<int64_t>(std::ceil(b / arch.dram_bytes_per_cycle - 1e-9)); };
  const int64_t dram_cycles = dma(in_bytes) + dma(out_elems);
  const int64_t compute = (ops + arch.vector_lanes - 1) / arch.vector_lanes;
  st.cycles = std::max(dram_cycles, compute) + kVectorPipelineCycles;
  st.stall_cycles = std::max<int64_t>(0, dram_cycles - compute);
  st.dram_read_bytes = in_bytes;
  st.dram_write_bytes = out_elems;
  st.sram_write_bytes[in_mem] = in_bytes;
  st.sram_read_bytes[in_mem] = in_bytes;  // line buffers: every input byte read once
  st.sram_write_bytes[out_mem] += out_elems;
  st.sram_read_bytes[out_mem] += out_elems;
  st.actions["vector_op"] = ops;
  return st;
}

cost::ActionTable vector_unit_actions() {
  return {
      {"requant", {"post-processing", {{"mult_int32", 1}, {"add32", 1}}}},
      {"vector_op", {"post-processing", {{"add16", 1}}}},
  };
}

std::vector<cost::InventoryItem> vector_unit_inventory(const ArchConfig& arch) {
  const double lanes = static_cast<double>(arch.vector_lanes);
  return {{"post-processing", "mult_int32", lanes},
          {"post-processing", "add32", lanes},
          {"post-processing", "add16", lanes}};
}

}  // namespace npusim
