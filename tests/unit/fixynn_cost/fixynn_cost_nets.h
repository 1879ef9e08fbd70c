#pragma once
// Hand-built FixyNN stages for the cost tests: every field the generator checks is valid, weights given.
#include <cstdint>
#include <vector>

#include "models/fixynn/fixed_net.h"

namespace npusim::fixynn::test {

// A conv of K x R x S x C (depthwise: C = K, weights [K][R][S][1]) with the given weights, bias 0 unless
// given, multiplier 2^30, shift -1, zero points 0, full int8 clamp.
FixedConv make_conv(int64_t R, int64_t S, int64_t C, int64_t K, std::vector<int8_t> weights,
                    std::vector<int32_t> bias = {}, bool depthwise = false);

// A stage of input H x W with `conv`, stride, padding (top, left); OH / OW from SAME-like arithmetic
// out = (in + 2 * pad - kernel) / stride + 1 (symmetric padding).
FixedStage make_stage(int64_t H, int64_t W, FixedConv conv, int64_t stride, int64_t pad_top,
                      int64_t pad_left);

}  // namespace npusim::fixynn::test
