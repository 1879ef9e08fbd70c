#pragma once
// What one layer cost: cycles, traffic and action counts. Filled by a backend, read by the report.
#include <cstdint>
#include <map>
#include <string>

namespace npusim {

struct BufferBytes {
  int64_t act = 0, wgt = 0, out = 0;
  int64_t total() const { return act + wgt + out; }
};

struct LayerStats {
  std::string name, op, shape;
  std::string unit;              // "array" (systolic array), "vector" (vector/post-processing unit)
  int64_t macs = 0;              // dense MACs of the layer (effective, dense-equivalent)
  int64_t executed_macs = 0;     // multiplier operations issued (pruned weights skipped, padding included)
  int block = 1;                 // reduction elements per array slice (B of the tensor PE)
  int w_nnz = 0;                 // DBB non-zeros per block (0: dense weights)
  int64_t k_dense = 0, k_padded = 0;  // reduction length of one output before/after layout padding
  int64_t weight_bytes_dense = 0;     // int8 weights as a dense tensor
  int64_t weight_bytes_stored = 0;    // as stored (DBB: values plus in-block indices)
  int64_t cycles = 0;            // first command accepted .. last output written back to DRAM
  int64_t stall_cycles = 0;      // array input slots lost to DRAM bandwidth / output-buffer space
  int64_t prologue_cycles = 0;   // initial operand fetch before the first fold can start
  int64_t folds = 0;
  double utilization = 0.0;      // macs / (cycles * peak MACs per cycle)
  bool verified = false;
  std::string verify_note;       // what was compared, or why not
  BufferBytes sram_read_bytes, sram_write_bytes;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  std::map<std::string, int64_t> actions;  // action name -> count (priced by sim/cost later)
  // Dynamic activation pruning (S2TA): non-zeros kept per activation block (0: no DAP), the share of
  // activation magnitude kept, and the int8 outputs against the unpruned layer's golden outputs
  // (mean |difference| in LSB, fraction of outputs that differ). Negative: not computed.
  // Energy (sim/cost): by category (MACs active, operand registers, SRAM act, DRAM, leakage, ...).
  std::map<std::string, double> energy_pj;
  double energy_total_pj = 0;
  int a_nnz = 0;
  // Recurrent layers: time steps, and the vector unit's share of the cycles (gate math).
  int64_t time_steps = 0, recurrent_vector_cycles = 0;
  double dap_kept_magnitude = -1, dap_out_mae_lsb = -1, dap_out_changed = -1;
  int64_t dram_bytes() const { return dram_read_bytes + dram_write_bytes; }
};

}  // namespace npusim
