#pragma once
// Dynamic activation pruning (DAP, S2TA): activations are cut into blocks of `block` consecutive
// elements along the last dimension (a last partial block is a smaller block of its own); in every
// block the min(nnz, size) largest magnitudes are kept and the rest become 0. |-128| = 128, and equal
// magnitudes go to the lower index, so exactly min(nnz, size) elements are kept (zeros included).
// This is the golden model of the hardware DAP unit (docs/dap_unit.md, rtl/systolic/dap_unit.v).
#include "sim/common/tensor.h"

namespace npusim::mapping {

// Pruned copy of `act` (same shape). Needs block >= 1 and nnz >= 0 (nnz >= block keeps everything).
TensorI8 dap_prune(const TensorI8& act, int block, int nnz);

struct DapStats {
  double magnitude_kept = 1.0;    // sum |pruned| / sum |original|; 1.0 when the original is all zero
  double nonzero_fraction = 0.0;  // non-zero elements of `pruned` / all elements; 0.0 when empty
};

// Both tensors must have the same shape (`pruned` as returned by dap_prune(original, ...)).
DapStats dap_stats(const TensorI8& original, const TensorI8& pruned);

}  // namespace npusim::mapping
