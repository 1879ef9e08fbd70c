#include "tests/unit/fixynn_cost/fixynn_cost_nets.h"

#include <utility>

namespace npusim::fixynn::test {

FixedConv make_conv(int64_t R, int64_t S, int64_t C, int64_t K, std::vector<int8_t> weights,
                    std::vector<int32_t> bias, bool depthwise) {
  FixedConv c;
  c.R = R, c.S = S, c.C = C, c.K = K;
  c.depthwise = depthwise;
  c.weights = std::move(weights);
  c.bias = bias.empty() ? std::vector<int32_t>(static_cast<size_t>(K), 0) : std::move(bias);
  c.multiplier.assign(static_cast<size_t>(K), int32_t{1} << 30);
  c.shift.assign(static_cast<size_t>(K), -1);
  return c;
}

FixedStage make_stage(int64_t H, int64_t W, FixedConv conv, int64_t stride, int64_t pad_top,
                      int64_t pad_left) {
  FixedStage s;
  s.name = "hand";
  s.layers = {"hand"};
  s.H = H, s.W = W;
  s.stride_h = s.stride_w = stride;
  s.pad_top = pad_top, s.pad_left = pad_left;
  s.OH = (H + 2 * pad_top - conv.R) / stride + 1;
  s.OW = (W + 2 * pad_left - conv.S) / stride + 1;
  s.first = std::move(conv);
  return s;
}

}  // namespace npusim::fixynn::test
