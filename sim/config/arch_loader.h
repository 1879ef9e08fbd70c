#pragma once
// Architecture config loading (DESIGN.md §4).
//
// Schema (every key optional except name, family, array.rows, array.cols; defaults from arch_config.h):
//   name: str                     family: systolic | fixynn | cim     clock_mhz: number > 0
//   tech: str                     array: {rows: int >= 1, cols: int >= 1}
//   tpe: {a, b, c: int >= 1}      dataflow: os | ws                   im2col: software | hardware
//   sparsity: {weights: {mode: dense | dbb | vdbb, block: int >= 1, nnz: 1..block (default = block)},
//              activations: {mode: dense | zvcg | dap, block, nnz}}
//   buffers: {act_kib, wgt_kib, out_kib: int >= 1}     dram: {bytes_per_cycle: number > 0}
//   precision: {act_bits, wgt_bits: 2..8, acc_bits: 16..32}
//   vector: {lanes: int >= 1}     (npusim extension: vector/post-processing unit width)
//
// Overrides ("dotted.key=value", e.g. "array.rows=32", "dataflow=ws", "sparsity.weights={mode: dbb,
// block: 8, nnz: 4}") are applied to the YAML tree before validation; the value is parsed as YAML.
// All errors are one-line InputErrors naming the file (with the line when known) and the dotted key.
#include <string>
#include <vector>

#include "sim/config/arch_config.h"

namespace npusim {

// Loads, overrides, validates, and checks that the configuration is implemented (check_supported).
ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides = {});

// Throws InputError ("<file>: <key>: '<value>' is not supported yet (...)") for a valid configuration
// this release cannot simulate. Currently only scalar systolic arrays (family systolic, tpe 1x1x1,
// dense weights and activations) are implemented; widen this as families land.
void check_supported(const ArchConfig& cfg);

}  // namespace npusim
