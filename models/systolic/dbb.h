#pragma once
// Density-bound-block (DBB) weight pruning: the GEMM reduction runs over (r, s, c); a block is BZ
// consecutive input channels at one kernel position (channels padded with zeros to a multiple of BZ).
// In each block and output channel the NNZ largest magnitudes are kept; ties go to the lower channel
// index, so the result is deterministic. The compressed form stores NNZ values and an in-block index
// of ceil(log2(BZ)) bits per value.
#include <cstdint>

#include "sim/common/tensor.h"

namespace npusim::mapping {

// weights: OHWI [K][R][S][Cpg] (fc: [K][C] with R = S = 1). Returns the pruned weights, same shape.
TensorI8 prune_dbb(const TensorI8& weights, int64_t R, int64_t S, int64_t Cpg, int bz, int nnz);

// Largest number of non-zeros in any block (after padding channels to a multiple of bz).
int max_block_nnz(const TensorI8& weights, int64_t R, int64_t S, int64_t Cpg, int bz);

// Stored size of DBB weights: `blocks` x `columns` blocks of nnz values plus their indices.
int64_t dbb_footprint_bytes(int64_t blocks, int64_t columns, int bz, int nnz);

}  // namespace npusim::mapping
