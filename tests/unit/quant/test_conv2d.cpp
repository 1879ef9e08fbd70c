// Golden conv2d: a hand-computed case, dilation, and grouped/depthwise convs against a naive
// reference written independently here (bounds-checked loops instead of explicit padding).
#include <catch2/catch.hpp>

#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/conv2d.h"

using namespace npusim;
using namespace npusim::quant;

namespace {

ConvGeom make_geom(int64_t H, int64_t W, int64_t C, int64_t K, int64_t R, int64_t S, int64_t stride,
                   int64_t pt, int64_t pb, int64_t pl, int64_t pr, int64_t groups = 1, int64_t dilation = 1) {
  ConvGeom g;
  g.H = H, g.W = W, g.C = C, g.K = K, g.R = R, g.S = S;
  g.stride_h = g.stride_w = stride;
  g.pad_top = pt, g.pad_bottom = pb, g.pad_left = pl, g.pad_right = pr;
  g.groups = groups, g.dilation = dilation;
  return finalize_geom(g, "test");
}

TensorI8 tensor(std::vector<int64_t> shape, std::vector<int8_t> values) {
  TensorI8 t(std::move(shape));
  REQUIRE(values.size() == t.data.size());
  t.data = std::move(values);
  return t;
}

TensorI8 random_i8(std::vector<int64_t> shape, Rng& rng) {
  TensorI8 t(std::move(shape));
  for (auto& v : t.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  return t;
}

// Direct definition: out[oh][ow][k] = bias[k] + sum over the window of in-bounds taps of
// (x - zp) * w; out-of-bounds taps are skipped (== padding with the zero point).
TensorI32 reference_conv(const TensorI8& x, const TensorI8& w, const std::vector<int32_t>& bias, int32_t zp,
                         const ConvGeom& g) {
  const int64_t cpg = g.C / g.groups, kpg = g.K / g.groups;
  TensorI32 out({g.out_h, g.out_w, g.K});
  for (int64_t oh = 0; oh < g.out_h; ++oh)
    for (int64_t ow = 0; ow < g.out_w; ++ow)
      for (int64_t k = 0; k < g.K; ++k) {
        int64_t acc = bias.empty() ? 0 : bias[k];
        const int64_t grp = k / kpg;
        for (int64_t r = 0; r < g.R; ++r)
          for (int64_t s = 0; s < g.S; ++s)
            for (int64_t c = 0; c < cpg; ++c) {
              const int64_t ih = oh * g.stride_h + r * g.dilation - g.pad_top;
              const int64_t iw = ow * g.stride_w + s * g.dilation - g.pad_left;
              if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
              const int64_t xv = x[(ih * g.W + iw) * g.C + grp * cpg + c];
              const int64_t wv = w[((k * g.R + r) * g.S + s) * cpg + c];
              acc += (xv - zp) * wv;
            }
        out[(oh * g.out_w + ow) * g.K + k] = static_cast<int32_t>(acc);
      }
  return out;
}

}  // namespace

TEST_CASE("conv2d by hand: 4x4x1 input, 3x3 kernel, asymmetric padding, input zero point", "[quant][conv2d]") {
  // Padding top 1, bottom 0, left 0, right 1, stride 1 -> out_h = 4+1+0-3+1 = 3, out_w = 4+0+1-3+1 = 3.
  const ConvGeom g = make_geom(4, 4, 1, 1, 3, 3, 1, /*pt*/ 1, /*pb*/ 0, /*pl*/ 0, /*pr*/ 1);
  REQUIRE(g.out_h == 3);
  REQUIRE(g.out_w == 3);
  const int32_t zp = 3;
  const TensorI8 x = tensor({4, 4, 1}, {4, 3, 5, 1,  //
                                        2, 6, 3, 0,  //
                                        3, 1, 7, 4,  //
                                        5, 3, 2, 8});
  // u = x - zp; padded taps are u = 0 (a zero-padding bug would read u = 0 - 3 = -3 there):
  //   u = [ 1  0  2 -2]
  //       [-1  3  0 -3]
  //       [ 0 -2  4  1]
  //       [ 2  0 -1  5]
  const TensorI8 w = tensor({1, 3, 3, 1}, {1, 0, 2,   //
                                           0, -1, 0,  //
                                           3, 0, 1});
  const std::vector<int32_t> bias = {10};
  // out(oh,ow) = 10 + u[oh-1][ow] + 2u[oh-1][ow+2] - u[oh][ow+1] + 3u[oh+1][ow] + u[oh+1][ow+2]
  // (row -1 and column 4 are padding, u = 0 there).
  const std::vector<int32_t> expect = {
      10 + (-0 + 3 * -1 + 0),              //  (0,0): -u01 + 3u10 + u12         = -3  -> 7
      10 + (-2 + 3 * 3 + -3),              //  (0,1): -u02 + 3u11 + u13         = 4   -> 14
      10 + (2 + 3 * 0 + 0),                //  (0,2): -u03 + 3u12 + pad         = 2   -> 12
      10 + (1 + 2 * 2 - 3 + 3 * 0 + 4),    //  (1,0): u00 + 2u02 - u11 + 3u20 + u22 = 6 -> 16
      10 + (0 + 2 * -2 - 0 + 3 * -2 + 1),  //  (1,1): u01 + 2u03 - u12 + 3u21 + u23 = -9 -> 1
      10 + (2 + 0 + 3 + 3 * 4 + 0),        //  (1,2): u02 + pad - u13 + 3u22 + pad = 17 -> 27
      10 + (-1 + 2 * 0 + 2 + 3 * 2 - 1),   //  (2,0): u10 + 2u12 - u21 + 3u30 + u32 = 6 -> 16
      10 + (3 + 2 * -3 - 4 + 3 * 0 + 5),   //  (2,1): u11 + 2u13 - u22 + 3u31 + u33 = -2 -> 8
      10 + (0 + 0 - 1 + 3 * -1 + 0),       //  (2,2): u12 + pad - u23 + 3u32 + pad = -4 -> 6
  };
  REQUIRE(expect == std::vector<int32_t>{7, 14, 12, 16, 1, 27, 16, 8, 6});

  const TensorI32 acc = conv2d_acc(x, w, bias, zp, g);
  CHECK(acc.shape == std::vector<int64_t>{3, 3, 1});
  CHECK(acc.data == expect);
  CHECK(acc.data == reference_conv(x, w, bias, zp, g).data);

  // Requantize: * 0.5 (SRDHM ties toward +inf) then + (-5):
  // 3.5->4, 7, 6, 8, 0.5->1, 13.5->14, 8, 4, 3  ->  -1, 2, 1, 3, -4, 9, 3, -1, -2
  Requant rq;
  rq.output_zero_point = -5;
  rq.multiplier = {1 << 30};
  rq.shift = {0};
  CHECK(conv2d(x, w, bias, zp, g, rq).data == std::vector<int8_t>{-1, 2, 1, 3, -4, 9, 3, -1, -2});
  // Same with the INT4 clamp [-8, 7]: only 9 saturates.
  rq.act_min = -8;
  rq.act_max = 7;
  CHECK(conv2d(x, w, bias, zp, g, rq).data == std::vector<int8_t>{-1, 2, 1, 3, -4, 7, 3, -1, -2});
  // No bias: every accumulator drops by 10.
  const TensorI32 nobias = conv2d_acc(x, w, {}, zp, g);
  for (int64_t i = 0; i < nobias.size(); ++i) CHECK(nobias[i] == expect[static_cast<size_t>(i)] - 10);
}

TEST_CASE("conv2d by hand: dilation 2", "[quant][conv2d]") {
  // 5x5 input x[i][j] = 5i + j, 2x2 kernel [[1,2],[3,4]] dilated by 2 (3x3 footprint), no padding:
  // out(oh,ow) = x[oh][ow] + 2x[oh][ow+2] + 3x[oh+2][ow] + 4x[oh+2][ow+2]
  //            = 10(5oh + ow) + 2*2 + 3*10 + 4*12 = 50oh + 10ow + 82.
  const ConvGeom g = make_geom(5, 5, 1, 1, 2, 2, 1, 0, 0, 0, 0, 1, /*dilation*/ 2);
  REQUIRE(g.out_h == 3);
  REQUIRE(g.out_w == 3);
  TensorI8 x({5, 5, 1});
  for (int i = 0; i < 25; ++i) x[i] = static_cast<int8_t>(i);
  const TensorI8 w = tensor({1, 2, 2, 1}, {1, 2, 3, 4});
  const TensorI32 acc = conv2d_acc(x, w, {}, 0, g);
  for (int oh = 0; oh < 3; ++oh)
    for (int ow = 0; ow < 3; ++ow) CHECK(acc[oh * 3 + ow] == 50 * oh + 10 * ow + 82);
}

TEST_CASE("conv2d matches the naive reference (grouped, depthwise, dilated, strided)", "[quant][conv2d]") {
  struct Case {
    const char* name;
    ConvGeom g;
  };
  const std::vector<Case> cases = {
      {"dense 3x3 stride 1 pad 1", make_geom(7, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1)},
      {"dense 3x3 stride 2 asym pad", make_geom(9, 8, 3, 6, 3, 3, 2, 0, 1, 1, 0)},
      {"dense 1x1", make_geom(4, 5, 16, 8, 1, 1, 1, 0, 0, 0, 0)},
      {"dense 5x3 rectangular", make_geom(8, 7, 2, 3, 5, 3, 1, 2, 2, 1, 1)},
      {"grouped 2", make_geom(6, 6, 8, 6, 3, 3, 1, 1, 1, 1, 1, 2)},
      {"grouped 4 stride 2", make_geom(9, 9, 8, 8, 3, 3, 2, 1, 1, 1, 1, 4)},
      {"depthwise", make_geom(7, 7, 6, 6, 3, 3, 1, 1, 1, 1, 1, 6)},
      {"depthwise multiplier 2", make_geom(6, 5, 4, 8, 3, 3, 1, 1, 1, 1, 1, 4)},
      {"depthwise stride 2 asym pad", make_geom(8, 8, 5, 5, 3, 3, 2, 0, 1, 0, 1, 5)},
      {"dilation 2 pad 2", make_geom(8, 8, 3, 4, 3, 3, 1, 2, 2, 2, 2, 1, 2)},
      {"dilation 2 grouped", make_geom(9, 7, 4, 4, 3, 3, 1, 1, 2, 2, 1, 2, 2)},
      {"dilation 3 depthwise stride 2", make_geom(11, 10, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3)},
  };
  Rng rng(42, "conv_ref");
  for (const auto& c : cases) {
    const ConvGeom& g = c.g;
    const TensorI8 x = random_i8({g.H, g.W, g.C}, rng);
    const TensorI8 w = random_i8({g.K, g.R, g.S, g.C / g.groups}, rng);
    std::vector<int32_t> bias(static_cast<size_t>(g.K));
    for (auto& b : bias) b = static_cast<int32_t>(rng.uniform(-5000, 5000));
    for (int32_t zp : {0, -7, 100, -128}) {
      INFO(c.name << ", zp " << zp);
      const TensorI32 got = conv2d_acc(x, w, bias, zp, g);
      const TensorI32 want = reference_conv(x, w, bias, zp, g);
      CHECK(got.shape == want.shape);
      CHECK(got.data == want.data);
    }
  }
}

TEST_CASE("conv2d per-channel requantization uses the output channel", "[quant][conv2d]") {
  // 1x1 conv, 1 input channel, 2 filters (w = 1 and 1): both accumulators are x - zp = 40;
  // channel 0 scales by 0.5 -> 20, channel 1 by 0.25 -> 10.
  const ConvGeom g = make_geom(1, 2, 1, 2, 1, 1, 1, 0, 0, 0, 0);
  const TensorI8 x = tensor({1, 2, 1}, {42, 42});
  const TensorI8 w = tensor({2, 1, 1, 1}, {1, 1});
  Requant rq;
  rq.multiplier = {1 << 30, 1 << 30};
  rq.shift = {0, -1};
  CHECK(conv2d(x, w, {}, 2, g, rq).data == std::vector<int8_t>{20, 10, 20, 10});
}

TEST_CASE("conv_geom derives the output size from a Layer", "[quant][conv2d]") {
  Layer l;
  l.name = "conv2_1";
  l.source = "resnet18.yaml:12";
  l.H = l.W = 56;
  l.C = l.K = 64;
  l.R = l.S = 3;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1;
  ConvGeom g = conv_geom(l);
  CHECK(g.out_h == 56);
  CHECK(g.out_w == 56);
  CHECK(g.C == 64);
  CHECK(g.K == 64);

  l.stride_h = l.stride_w = 2;
  l.pad_top = l.pad_left = 0;  // TF "SAME" padding for stride 2: (0, 1)
  g = conv_geom(l);
  CHECK(g.out_h == 28);  // (56 + 1 - 3) / 2 + 1
  CHECK(g.out_w == 28);

  l.groups = 3;  // does not divide 64
  CHECK_THROWS_AS(conv_geom(l), InputError);
  CHECK_THROWS_WITH(conv_geom(l), Catch::StartsWith("resnet18.yaml:12: layer 'conv2_1'"));

  l.groups = 1;
  l.R = 60;  // larger than the padded input
  CHECK_THROWS_AS(conv_geom(l), InputError);
}

TEST_CASE("conv2d rejects mismatched operands", "[quant][conv2d]") {
  const ConvGeom g = make_geom(4, 4, 2, 3, 3, 3, 1, 1, 1, 1, 1);
  const TensorI8 x({4, 4, 2});
  const TensorI8 w({3, 3, 3, 2});
  CHECK_NOTHROW(conv2d_acc(x, w, {}, 0, g));
  CHECK_THROWS_AS(conv2d_acc(TensorI8({4, 4, 3}), w, {}, 0, g), InputError);
  CHECK_THROWS_AS(conv2d_acc(x, TensorI8({3, 3, 3, 1}), {}, 0, g), InputError);
  CHECK_THROWS_AS(conv2d_acc(x, w, {1, 2}, 0, g), InputError);
  CHECK_THROWS_AS(conv2d_acc(x, w, {}, 300, g), InputError);
  Requant rq;
  rq.multiplier = {1 << 30, 1 << 30};  // 2 entries for 3 channels
  rq.shift = {0, 0};
  CHECK_THROWS_AS(conv2d(x, w, {}, 0, g, rq), InputError);
}
