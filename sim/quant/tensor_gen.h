#pragma once
// Synthetic operand generation with a controlled density (fraction of non-zeros), so sparsity
// features see realistic zero patterns when no .npy tensor is supplied.
#include <cstdint>
#include <vector>

#include "sim/common/rng.h"
#include "sim/common/tensor.h"

namespace npusim::quant {

// Each element is 0 with probability 1 - density, otherwise uniform over the signed `bits` range
// excluding 0 (so the realised density matches the requested one). Deterministic for a given Rng
// state. Throws InputError for density outside [0, 1] (or NaN) and bits outside [2, 8].
TensorI8 random_tensor(std::vector<int64_t> shape, int bits, double density, Rng& rng);

}  // namespace npusim::quant
