#include "tests/unit/fixynn/fixynn_test_nets.h"

#include <algorithm>

#include "sim/quant/conv2d.h"

namespace npusim::fixynn::test {

Layer make_layer(const std::string& name, OpType op, int64_t H, int64_t W, int64_t C, int64_t K, int64_t R,
                 int64_t S, int64_t stride, Pad pad, int64_t dilation, bool depthwise) {
  Layer l;
  l.name = name;
  l.op = op;
  l.H = H, l.W = W, l.C = C, l.K = K, l.R = R, l.S = S;
  l.stride_h = l.stride_w = stride;
  l.dilation = dilation;
  l.groups = depthwise ? C : 1;
  if (pad == Pad::Same) {  // TensorFlow SAME: out = ceil(in / stride), the odd pixel at the bottom / right
    auto total = [&](int64_t in, int64_t k) {
      const int64_t out = (in + stride - 1) / stride;
      return std::max<int64_t>((out - 1) * stride + (k - 1) * dilation + 1 - in, 0);
    };
    const int64_t th = total(H, R), tw = total(W, S);
    l.pad_top = th / 2, l.pad_bottom = th - th / 2;
    l.pad_left = tw / 2, l.pad_right = tw - tw / 2;
  }
  const quant::ConvGeom g = quant::conv_geom(l);
  l.out_h = g.out_h, l.out_w = g.out_w;
  return l;
}

TensorI8 random_input(int64_t H, int64_t W, int64_t C, Rng& rng) {
  TensorI8 t({H, W, C});
  for (int8_t& v : t.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  return t;
}

void TestChain::add(Layer l, Rng& rng) {
  if (layers.empty()) input = random_input(l.H, l.W, l.C, rng);
  layers.push_back(std::make_unique<Layer>(std::move(l)));
  const Layer& L = *layers.back();
  auto op = std::make_unique<LayerOperands>();
  op->layer = &L;
  op->input = TensorI8({L.H, L.W, L.C});
  op->weights = TensorI8({L.K, L.R, L.S, L.C / L.groups});
  for (int8_t& w : op->weights.data) w = rng.bernoulli(0.3) ? 0 : static_cast<int8_t>(rng.uniform(-127, 127));
  const int64_t taps = L.R * L.S * (L.C / L.groups);
  for (int64_t k = 0; k < L.K; ++k) op->bias.push_back(static_cast<int32_t>(rng.uniform(-3000, 3000)));
  op->input_zero_point = static_cast<int32_t>(rng.uniform(-20, 20));
  quant::Requant& rq = op->requant;
  // Scale so that accumulators of this many taps land around the int8 range (some saturate).
  int base = 0;
  while ((int64_t{1} << base) < taps * 4000 / 64) ++base;
  for (int64_t k = 0; k < L.K; ++k) {
    rq.multiplier.push_back(static_cast<int32_t>(rng.uniform(int64_t{1} << 30, (int64_t{1} << 31) - 1)));
    rq.shift.push_back(-base + static_cast<int>(rng.uniform(-1, 2)));
  }
  rq.output_zero_point = static_cast<int32_t>(rng.uniform(-10, 10));
  if (rng.bernoulli(0.3)) {
    rq.act_min = rq.output_zero_point, rq.act_max = 127;  // ReLU
  } else {
    rq.act_min = static_cast<int32_t>(rng.uniform(-128, -30));
    rq.act_max = static_cast<int32_t>(rng.uniform(30, 127));
  }
  ops.push_back(std::move(op));
}

std::vector<const Layer*> TestChain::layer_ptrs() const {
  std::vector<const Layer*> v;
  for (const auto& l : layers) v.push_back(l.get());
  return v;
}

std::vector<const LayerOperands*> TestChain::op_ptrs() const {
  std::vector<const LayerOperands*> v;
  for (const auto& o : ops) v.push_back(o.get());
  return v;
}

std::vector<TensorI8> TestChain::golden() const {
  std::vector<TensorI8> out;
  TensorI8 x = input;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerOperands& op = *ops[i];
    x = quant::conv2d(x, op.weights, op.bias, op.input_zero_point, quant::conv_geom(*layers[i]), op.requant);
    out.push_back(x);
  }
  return out;
}

}  // namespace npusim::fixynn::test
