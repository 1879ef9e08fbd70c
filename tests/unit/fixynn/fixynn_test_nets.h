#pragma once
// Test chains of conv / dwconv layers with random operands, and their golden outputs (sim/quant).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/common/rng.h"
#include "sim/family/family.h"
#include "sim/workload/layer.h"

namespace npusim::fixynn::test {

enum class Pad { Same, Valid };

// A conv-style layer reading H x W x C; out_h / out_w filled in. depthwise: groups = K = C.
Layer make_layer(const std::string& name, OpType op, int64_t H, int64_t W, int64_t C, int64_t K, int64_t R,
                 int64_t S, int64_t stride, Pad pad, int64_t dilation = 1, bool depthwise = false);

// Layers with operands that own their storage (LayerOperands point at the layers).
struct TestChain {
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<std::unique_ptr<LayerOperands>> ops;
  TensorI8 input;               // [H][W][C] of the first layer
  void add(Layer l, Rng& rng);  // random weights (some zero), bias, zero point, per-channel requant, clamp
  std::vector<const Layer*> layer_ptrs() const;
  std::vector<const LayerOperands*> op_ptrs() const;
  // Golden output of every layer, each from its predecessor's golden output.
  std::vector<TensorI8> golden() const;
};

TensorI8 random_input(int64_t H, int64_t W, int64_t C, Rng& rng);

}  // namespace npusim::fixynn::test
