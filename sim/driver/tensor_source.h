#pragma once
// Tensors the executor draws from a named seed stream, or reads from a .npy file named by the workload
// (checked against the expected shape and the bit width).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim {

// "file: layer 'x'" (or the layer's name) for error messages.
std::string layer_where(const Layer& l);

TensorI8 load_or_generate(const std::string& file, std::vector<int64_t> shape, int bits, double density,
                          uint64_t seed, const std::string& stream, const Layer& l, const char* what);

}  // namespace npusim
