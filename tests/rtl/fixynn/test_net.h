#pragma once
// The hand-built FixedNet the generator tests use, and its golden forward pass (sim/quant's conv2d).
#include <cstdint>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "sim/common/tensor.h"

namespace npusim::fixynn::test {

// Stage 0: 3x3 stride-2 SAME conv 3->4 on HxW (a few zero weights); stage 1: fused depthwise 3x3 stride 1
// SAME + 1x1 4->6. Random weights, biases, multipliers (~2^30, shifts -6..-9), zero points, ReLU clamps.
FixedNet make_test_net(uint64_t seed, int64_t H = 7, int64_t W = 7);

// Geometry corners: dilation 2 with strides 1x2 and asymmetric padding, an all-zero output channel, an
// unfused 1x1 (one-row buffer) with +-1 weights and a left shift, an unfused depthwise stride-2 VALID stage.
FixedNet make_edge_net(uint64_t seed);

// One-stage nets at the corners: 0 1x1 frame and kernel, shift -31; 1 W = 1, left shift 1; 2 2x2 stride 2;
// 3 2x3 kernel dilation 3, multiplier INT32_MIN; 4 windows wholly in padding, OH/OW cropping the
// bottom/right; 5 fused depthwise + 1x1 with shift 30 (wrapping left shift). Random everything else, 30% zero
// weights.
FixedNet make_corner_net(int variant, uint64_t seed);

// The net's output feature map [OH][OW][K] for an input [H][W][C], stage by stage with quant::conv2d.
TensorI8 golden_forward(const FixedNet& net, const TensorI8& input);
// Every stage's output, in order.
std::vector<TensorI8> golden_stages(const FixedNet& net, const TensorI8& input);

}  // namespace npusim::fixynn::test
