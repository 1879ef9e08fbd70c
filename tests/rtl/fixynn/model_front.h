#pragma once
// The FixedNet of a real model's first layers (.tflite): operands prepared as the executor prepares a
// model layer (weights, bias, TFLite's requantization, each layer's input the previous golden output),
// a random input in the model's quantization, and every layer's golden output.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim::fixynn::test {

struct ModelFront {
  Network network;
  FixedNet net;
  TensorI8 input;                // [H][W][C] of the first layer
  std::vector<TensorI8> golden;  // per layer, [OH][OW][K]
  // Golden output of each stage (of the last layer it implements).
  std::vector<TensorI8> stage_golden() const;
};

// The model's layers 0 .. layers - 1 (each must read its predecessor).
ModelFront model_front(const std::string& path, size_t layers, uint64_t seed);

}  // namespace npusim::fixynn::test
