#include "tests/rtl/fixynn/test_net.h"

#include <algorithm>
#include <limits>
#include <string>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/conv2d.h"

namespace npusim::fixynn::test {

namespace {

// TFLite SAME: output ceil(in / stride), padding split with the extra row/column at the bottom/right.
void same_geometry(FixedStage& st, int64_t R, int64_t stride) {
  st.stride_h = st.stride_w = stride;
  st.OH = (st.H + stride - 1) / stride;
  st.OW = (st.W + stride - 1) / stride;
  const int64_t pad_h = std::max<int64_t>((st.OH - 1) * stride + R - st.H, 0);
  const int64_t pad_w = std::max<int64_t>((st.OW - 1) * stride + R - st.W, 0);
  st.pad_top = pad_h / 2;
  st.pad_left = pad_w / 2;
}

// Shifts in [shift_lo, shift_lo + 1] scale the accumulator of the conv's tap count to a useful int8 range.
FixedConv random_conv(Rng& rng, int64_t R, int64_t C, int64_t K, bool depthwise, double zero_fraction,
                      int shift_lo, int32_t input_zero_point, bool relu) {
  FixedConv cv;
  cv.R = cv.S = R;
  cv.C = C;
  cv.K = K;
  cv.depthwise = depthwise;
  cv.weights.resize(static_cast<size_t>(K * R * R * (depthwise ? 1 : C)));
  for (auto& w : cv.weights)
    w = rng.bernoulli(zero_fraction) ? 0 : static_cast<int8_t>(rng.uniform(-127, 127));
  for (int64_t k = 0; k < K; ++k) {
    cv.bias.push_back(static_cast<int32_t>(rng.uniform(-4000, 4000)));
    cv.multiplier.push_back(static_cast<int32_t>(rng.uniform(int64_t{1} << 30, (int64_t{1} << 31) - 1)));
    cv.shift.push_back(static_cast<int>(rng.uniform(shift_lo, shift_lo + 1)));
  }
  cv.input_zero_point = input_zero_point;
  cv.output_zero_point = static_cast<int32_t>(rng.uniform(-128, 0));
  cv.act_min = relu ? cv.output_zero_point : -128;
  cv.act_max = 127;
  return cv;
}

quant::ConvGeom geom_of(const FixedStage& st, const FixedConv& cv, bool windowed) {
  quant::ConvGeom g;
  g.H = windowed ? st.H : st.OH;
  g.W = windowed ? st.W : st.OW;
  g.C = cv.C;
  g.K = cv.K;
  g.R = cv.R;
  g.S = cv.S;
  if (windowed) {
    g.stride_h = st.stride_h;
    g.stride_w = st.stride_w;
    g.pad_top = st.pad_top;
    g.pad_left = st.pad_left;
    g.pad_bottom =
        std::max<int64_t>((st.OH - 1) * st.stride_h + (cv.R - 1) * st.dilation + 1 - st.H - st.pad_top, 0);
    g.pad_right =
        std::max<int64_t>((st.OW - 1) * st.stride_w + (cv.S - 1) * st.dilation + 1 - st.W - st.pad_left, 0);
    g.dilation = st.dilation;
  }
  g.groups = cv.depthwise ? cv.C : 1;
  g = quant::finalize_geom(g, "fixynn golden");
  // A larger result is cropped (OH/OW smaller than the padding implies); a smaller one is a test bug.
  if (windowed && (g.out_h < st.OH || g.out_w < st.OW)) throw InputError("fixynn golden: OH/OW mismatch");
  return g;
}

TensorI8 run_conv(const FixedConv& cv, const quant::ConvGeom& g, const TensorI8& in) {
  TensorI8 w({cv.K, cv.R, cv.S, cv.depthwise ? 1 : cv.C});
  w.data = cv.weights;
  quant::Requant rq;
  rq.output_zero_point = cv.output_zero_point;
  rq.multiplier = cv.multiplier;
  rq.shift = cv.shift;
  rq.act_min = cv.act_min;
  rq.act_max = cv.act_max;
  return quant::conv2d(in, w, cv.bias, cv.input_zero_point, g, rq);
}

// The top-left OH x OW of t (rows and columns of a conv output do not depend on later ones).
TensorI8 crop(const TensorI8& t, int64_t OH, int64_t OW) {
  if (t.dim(0) == OH && t.dim(1) == OW) return t;
  const int64_t K = t.dim(2);
  TensorI8 out({OH, OW, K});
  for (int64_t y = 0; y < OH; ++y)
    for (int64_t x = 0; x < OW; ++x)
      for (int64_t k = 0; k < K; ++k) out[(y * OW + x) * K + k] = t[(y * t.dim(1) + x) * K + k];
  return out;
}

}  // namespace

FixedNet make_test_net(uint64_t seed, int64_t H, int64_t W) {
  Rng rng(seed, "fixynn_test_net");
  FixedNet net;
  FixedStage s0;
  s0.name = "conv0";
  s0.layers = {"conv0"};
  s0.H = H;
  s0.W = W;
  same_geometry(s0, 3, 2);
  s0.first = random_conv(rng, 3, 3, 4, false, 0.15, -9, static_cast<int32_t>(rng.uniform(-128, 0)), true);
  net.stages.push_back(s0);

  FixedStage s1;
  s1.name = "dw1+pw1";
  s1.layers = {"dw1", "pw1"};
  s1.H = s0.OH;
  s1.W = s0.OW;
  same_geometry(s1, 3, 1);
  // Each conv takes its producer's output zero point; the final 1x1 is linear (no ReLU).
  s1.first = random_conv(rng, 3, 4, 4, true, 0.15, -8, s0.first.output_zero_point, true);
  s1.fused = true;
  s1.second = random_conv(rng, 1, 4, 6, false, 0.15, -7, s1.first.output_zero_point, false);
  net.stages.push_back(s1);
  return net;
}

FixedNet make_edge_net(uint64_t seed) {
  Rng rng(seed, "fixynn_edge_net");
  FixedNet net;
  // Dilation 2, strides 1x2, asymmetric padding (bottom 2, right 0), an all-zero output channel (bias only).
  FixedStage s0;
  s0.name = "conv_dil";
  s0.layers = {"conv_dil"};
  s0.H = 10;
  s0.W = 13;
  s0.stride_h = 1;
  s0.stride_w = 2;
  s0.pad_top = 2;
  s0.pad_left = 1;
  s0.dilation = 2;
  s0.OH = 10;
  s0.OW = 5;
  s0.first = random_conv(rng, 3, 2, 3, false, 0.1, -9, static_cast<int32_t>(rng.uniform(-128, 0)), true);
  for (size_t e = 0; e < 3 * 3 * 2; ++e) s0.first.weights[e] = 0;  // output channel 0
  net.stages.push_back(s0);
  // Unfused 1x1 (a one-row line buffer); channel 0 has +-1 weights and a left shift (shift +1).
  FixedStage s1;
  s1.name = "pw";
  s1.layers = {"pw"};
  s1.H = s1.OH = 10;
  s1.W = s1.OW = 5;
  s1.first = random_conv(rng, 1, 3, 5, false, 0.1, -7, s0.first.output_zero_point, true);
  for (size_t e = 0; e < 3; ++e) s1.first.weights[e] = static_cast<int8_t>(e % 2 ? -1 : 1);
  s1.first.bias[0] = 3;
  s1.first.shift[0] = 1;
  net.stages.push_back(s1);
  // Unfused depthwise 3x3 stride 2, VALID.
  FixedStage s2;
  s2.name = "dw_valid";
  s2.layers = {"dw_valid"};
  s2.H = 10;
  s2.W = 5;
  s2.stride_h = s2.stride_w = 2;
  s2.OH = 4;
  s2.OW = 2;
  s2.first = random_conv(rng, 3, 5, 5, true, 0.1, -8, s1.first.output_zero_point, false);
  net.stages.push_back(s2);
  return net;
}

FixedNet make_corner_net(int variant, uint64_t seed) {
  Rng rng(seed, "fixynn_corner_net_" + std::to_string(variant));
  // Weights in [-wmax, wmax], so that most outputs stay inside the clamp for the variant's shift.
  auto conv = [&](int64_t R, int64_t S, int64_t C, int64_t K, bool dw, int shift, int wmax) {
    FixedConv c;
    c.R = R;
    c.S = S;
    c.C = C;
    c.K = K;
    c.depthwise = dw;
    c.weights.resize(static_cast<size_t>(K * R * S * (dw ? 1 : C)));
    for (auto& w : c.weights) w = rng.bernoulli(0.3) ? 0 : static_cast<int8_t>(rng.uniform(-wmax, wmax));
    for (int64_t k = 0; k < K; ++k) {
      const int64_t bias_max = shift >= 0 ? 16 : std::min<int64_t>(2000, int64_t{16} << std::min(-shift, 16));
      c.bias.push_back(static_cast<int32_t>(rng.uniform(-bias_max, bias_max)));
      c.multiplier.push_back(static_cast<int32_t>(rng.uniform(int64_t{1} << 30, (int64_t{1} << 31) - 1)));
      c.shift.push_back(shift);
    }
    c.input_zero_point = static_cast<int32_t>(rng.uniform(-128, 127));
    c.output_zero_point = static_cast<int32_t>(rng.uniform(-128, 127));
    return c;
  };
  FixedNet net;
  FixedStage s;
  s.name = "corner" + std::to_string(variant);
  s.layers = {s.name};
  switch (variant) {
    case 0:  // 1x1 frame, 1x1 kernel, one channel, shift -31
      s.first = conv(1, 1, 1, 1, false, -31, 127);
      s.first.weights[0] = 77;
      break;
    case 1:  // W = 1, left shift 1
      s.H = s.OH = 5;
      s.pad_top = 1;
      s.first = conv(3, 1, 2, 3, false, 1, 1);
      break;
    case 2:  // 2x2 stride 2 (two-row buffer), shift 0
      s.H = s.W = 8;
      s.OH = s.OW = 4;
      s.stride_h = s.stride_w = 2;
      s.first = conv(2, 2, 3, 2, false, 0, 1);
      break;
    case 3:  // 2x3 kernel dilation 3, multiplier INT32_MIN on one channel
      s.H = s.W = 9;
      s.OH = s.OW = 3;
      s.dilation = 3;
      s.first = conv(2, 3, 1, 2, false, -1, 1);
      s.first.multiplier[0] = std::numeric_limits<int32_t>::min();
      break;
    case 4:  // padding 4 > kernel reach: windows wholly in padding; bottom/right cropped by OH/OW
      s.H = s.W = s.OH = s.OW = 6;
      s.pad_top = s.pad_left = 4;
      s.first = conv(3, 3, 2, 2, false, -3, 4);
      break;
    default:  // fused depthwise + 1x1 with shift 30 (the 32-bit wrapping left shift)
      s.H = s.W = s.OH = s.OW = 4;
      s.pad_top = s.pad_left = 1;
      s.first = conv(3, 3, 2, 2, true, -4, 4);
      s.fused = true;
      s.second = conv(1, 1, 2, 7, false, 30, 3);
      break;
  }
  net.stages.push_back(s);
  return net;
}

std::vector<TensorI8> golden_stages(const FixedNet& net, const TensorI8& input) {
  std::vector<TensorI8> outs;
  TensorI8 x = input;
  for (const FixedStage& st : net.stages) {
    x = crop(run_conv(st.first, geom_of(st, st.first, true), x), st.OH, st.OW);
    if (st.fused) x = run_conv(st.second, geom_of(st, st.second, false), x);
    outs.push_back(x);
  }
  return outs;
}

TensorI8 golden_forward(const FixedNet& net, const TensorI8& input) {
  return golden_stages(net, input).back();
}

}  // namespace npusim::fixynn::test
