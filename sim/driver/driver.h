#pragma once
// The workload driver: for each layer it makes the tensors and quantization parameters from the seed
// (or reads .npy files), computes the golden result, issues the layer to the accelerator as a job,
// checks the accelerator's accumulators and int8 outputs bit-exactly against golden, and collects stats.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/driver/accelerator.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

struct RunOptions {
  uint64_t seed = 1;
  bool fast = false;
  BackendOptions backend;
  std::string only_layer;  // run just this layer (empty: all)
  int w_nnz = 0;           // > 0: DBB-prune every conv/fc layer to this many non-zeros per block
  int a_nnz = 0;           // > 0: DAP keeps this many activations per block (dap designs)
};

struct RunTotals {
  int64_t cycles = 0, macs = 0, executed_macs = 0, stall_cycles = 0, dram_bytes = 0;
  double utilization = 0.0, latency_s = 0.0, tops = 0.0;
  int verified = 0, failed = 0, not_checked = 0;
  // Energy and area (sim/cost, configs/tech/<node>.yaml). Core = everything but DRAM.
  std::map<std::string, double> energy_by_category_pj, area_by_category_um2;
  double energy_pj = 0, energy_core_pj = 0, area_mm2 = 0;
  double tops_per_w_effective = 0, tops_per_w_executed = 0;            // dense-equivalent / issued ops
  double tops_per_w_core_effective = 0, tops_per_w_core_executed = 0;  // excluding DRAM
  double tops_per_mm2 = 0;
  std::string tech_table;         // the table's path
  bool energy_estimated = false;  // --fast: activity estimated, no gating
};

struct RunReport {
  ArchConfig arch;
  std::string workload, workload_path;
  uint64_t seed = 0;
  std::string backend;
  bool fast = false;
  std::vector<LayerStats> layers;
  RunTotals total;
  uint64_t lockstep_cycles = 0;
  std::string lockstep_blocks;
};

RunReport run_network(const ArchConfig& arch, const Network& net, const RunOptions& opts);

// The job for one conv/dwconv/fc layer plus its golden result (exposed for tests and cosim).
struct PreparedLayer {
  ArrayJob job;
  TensorI32 golden_acc;  // [M][K]
  TensorI8 golden_out;   // [M][K]
  // DAP layers: golden of the pruned input (above) vs the unpruned input.
  double dap_kept_magnitude = -1, dap_out_mae_lsb = -1, dap_out_changed = -1;
};
// How weights are laid out for the array: reduction block (B of the tensor PE) and DBB pruning.
struct WeightScheme {
  int block = 1;
  bool dbb =
      false;    // sparse PEs: DBB-compressed weights, `nnz` per block of `block` channels at one position
  int nnz = 1;  // non-zeros per block (= block when dense)
  int prune_nnz = 0;  // > 0: prune to this many non-zeros per block of `prune_block` (0: nnz if dbb)
  int prune_block = 8;
  bool hw_im2col = false;  // conv layers are expanded by the hardware IM2COL unit
  // Dynamic activation pruning (S2TA): the DAP unit keeps a_nnz of every activation block of `block`
  // channels at run time; the S2TA TPE takes one kept activation per cycle.
  bool dap = false;
  int a_nnz = 0;
};
// w_nnz > 0 overrides the layer's w_nnz (model sparsity) for every conv/fc layer; a_nnz > 0 the
// layer's a_nnz (DAP non-zeros per activation block).
WeightScheme weight_scheme(const ArchConfig& arch, const Layer& layer, int w_nnz = 0, int a_nnz = 0);
PreparedLayer prepare_array_layer(const Layer& layer, uint64_t seed, const WeightScheme& scheme = {});

std::string shape_string(const Layer& layer);

}  // namespace npusim

namespace npusim {
// A random GEMM (M x K by K x N, int8, from the seed) as an array job with its golden result.
PreparedLayer prepare_gemm(int64_t M, int64_t K, int64_t N, uint64_t seed, const WeightScheme& scheme = {});
// Run a prepared job on an accelerator and check it bit-exactly; returns the stats.
LayerStats run_and_check(Accelerator& acc, const PreparedLayer& p);
// Bit-exact comparison of a job's accumulators and int8 outputs with golden; `note` says what matched
// or where the first difference is.
bool check_layer(const ArrayJobResult& r, const PreparedLayer& p, std::string* note);
}  // namespace npusim
