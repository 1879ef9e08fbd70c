#pragma once
// How a conv/dwconv/fc layer becomes a systolic array job: the weight scheme the design needs
// (reduction block = B of the tensor PE, DBB pruning, hardware IM2COL, S2TA's dynamic activation
// pruning), the GEMM lowering, the bias with the input zero point folded in, and the golden result of
// the same job (for tests, `npusim cosim` and the family's self-checks).
#include <cstdint>

#include "models/systolic/array_job.h"
#include "models/systolic/systolic_config.h"
#include "sim/workload/layer.h"

namespace npusim {

// How weights are laid out for the array: reduction block (B of the tensor PE) and DBB pruning.
struct WeightScheme {
  int block = 1;
  bool dbb = false;  // sparse PEs: DBB-compressed weights, `nnz` per block of `block` channels at one position
  int nnz = 1;       // non-zeros per block (= block when dense)
  int prune_nnz = 0;  // > 0: prune to this many non-zeros per block of `prune_block` (0: nnz if dbb)
  int prune_block = 8;
  bool hw_im2col = false;  // conv layers are expanded by the hardware IM2COL unit
  // Dynamic activation pruning (S2TA): the DAP unit keeps a_nnz of every activation block of `block`
  // channels at run time; the S2TA TPE takes one kept activation per cycle.
  bool dap = false;
  int a_nnz = 0;
};
// w_nnz > 0 overrides the layer's w_nnz (model sparsity) for every conv/fc layer; a_nnz > 0 the layer's
// a_nnz (DAP non-zeros per activation block).
WeightScheme weight_scheme(const ArchConfig& arch, const Layer& layer, int w_nnz = 0, int a_nnz = 0);

// Offline weight pruning of `scheme` (sparse PEs always need pruned weights; prune_nnz also prunes for
// dense PEs): OHWI weights, or fc / recurrent [rows][K].
void prune_weights(const Layer& layer, const WeightScheme& scheme, TensorI8& weights);
// DAP of a layer's input as the unit prunes it (blocks start at each group's first channel).
TensorI8 dap_prune_layer(const Layer& layer, const TensorI8& input, int block, int nnz);

// The array job of a layer for given operands (weights already pruned). `input` has the executor's
// layout ([H][W][C], [batch][H][W][C] or fc [batch][C]); `values` false: shapes only (--fast).
ArrayJob make_array_job(const Layer& l, const WeightScheme& scheme, const TensorI8* input, const TensorI8* weights,
                        const std::vector<int32_t>& bias, int32_t zp_in, const quant::Requant& requant);

// A job with its golden result (tests, benchmarks).
struct PreparedJob {
  ArrayJob job;
  TensorI32 golden_acc;  // [M][K]
  TensorI8 golden_out;   // [M][K]
};
// A layer with tensors and quantization drawn from the seed (streams act:, wgt:, qparams:<layer>).
PreparedJob prepare_array_layer(const Layer& layer, uint64_t seed, const WeightScheme& scheme = {});
// A random GEMM (M x K by K x N, int8, from the seed) as an array job with its golden result.
PreparedJob prepare_gemm(int64_t M, int64_t K, int64_t N, uint64_t seed, const WeightScheme& scheme = {});
// Bit-exact comparison of a job's accumulators and int8 outputs with golden; `note` says what matched
// or where the first difference is.
bool check_layer(const ArrayJobResult& r, const PreparedJob& p, std::string* note);

}  // namespace npusim
