#include "sim/quant/conv2d.h"

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {

int64_t conv_out_size(int64_t in, int64_t pad_before, int64_t pad_after, int64_t kernel, int64_t stride,
                      int64_t dilation) {
  const int64_t span = in + pad_before + pad_after - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;  // floor division of a negative span would give a bogus 0/1
  return span / stride + 1;
}

ConvGeom finalize_geom(ConvGeom g, const std::string& what) {
  auto fail = [&](const std::string& msg) { throw InputError(what + ": " + msg); };
  if (g.H < 1 || g.W < 1 || g.C < 1 || g.K < 1 || g.R < 1 || g.S < 1) {
    fail("H, W, C, K, R, S must all be >= 1");
  }
  if (g.stride_h < 1 || g.stride_w < 1) fail("strides must be >= 1");
  if (g.pad_top < 0 || g.pad_bottom < 0 || g.pad_left < 0 || g.pad_right < 0) fail("padding must be >= 0");
  if (g.dilation < 1) fail("dilation must be >= 1");
  if (g.groups < 1) fail("groups must be >= 1");
  if (g.C % g.groups != 0 || g.K % g.groups != 0) {
    fail("groups " + std::to_string(g.groups) + " must divide C " + std::to_string(g.C) + " and K " +
         std::to_string(g.K));
  }
  g.out_h = conv_out_size(g.H, g.pad_top, g.pad_bottom, g.R, g.stride_h, g.dilation);
  g.out_w = conv_out_size(g.W, g.pad_left, g.pad_right, g.S, g.stride_w, g.dilation);
  if (g.out_h < 1 || g.out_w < 1) fail("kernel larger than the padded input (empty output)");
  return g;
}

ConvGeom conv_geom(const Layer& l) {
  ConvGeom g;
  g.H = l.H, g.W = l.W, g.C = l.C, g.K = l.K, g.R = l.R, g.S = l.S;
  g.stride_h = l.stride_h, g.stride_w = l.stride_w;
  g.pad_top = l.pad_top, g.pad_bottom = l.pad_bottom, g.pad_left = l.pad_left, g.pad_right = l.pad_right;
  g.groups = l.groups, g.dilation = l.dilation;
  const std::string what = (l.source.empty() ? std::string() : l.source + ": ") + "layer '" + l.name + "'";
  return finalize_geom(g, what);
}

TensorI32 conv2d_acc(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                     int32_t input_zero_point, const ConvGeom& geom) {
  const ConvGeom g = finalize_geom(geom, "conv2d");
  const int64_t Cg = g.C / g.groups, Kg = g.K / g.groups;
  if (input.shape != std::vector<int64_t>{g.H, g.W, g.C}) {
    throw InputError("conv2d: input shape " + shape_str(input.shape) + " does not match geometry " +
                     shape_str({g.H, g.W, g.C}));
  }
  if (weights.shape != std::vector<int64_t>{g.K, g.R, g.S, Cg}) {
    throw InputError("conv2d: weight shape " + shape_str(weights.shape) + " does not match geometry " +
                     shape_str({g.K, g.R, g.S, Cg}));
  }
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != g.K) {
    throw InputError("conv2d: bias has " + std::to_string(bias.size()) + " entries, expected K = " +
                     std::to_string(g.K));
  }
  check_input_zero_point(input_zero_point, "conv2d");
  check_acc_range(input, input_zero_point, weights, bias, g.R * g.S * Cg, "conv2d");

  // Explicitly padded, zero-point-shifted input: padding becomes 0, so the hot loop needs no
  // bounds checks.
  const int64_t Hp = g.H + g.pad_top + g.pad_bottom, Wp = g.W + g.pad_left + g.pad_right;
  std::vector<int16_t> xp(static_cast<size_t>(Hp * Wp * g.C), 0);
  for (int64_t h = 0; h < g.H; ++h) {
    for (int64_t w = 0; w < g.W; ++w) {
      const int8_t* src = &input.data[static_cast<size_t>((h * g.W + w) * g.C)];
      int16_t* dst = &xp[static_cast<size_t>(((h + g.pad_top) * Wp + (w + g.pad_left)) * g.C)];
      for (int64_t c = 0; c < g.C; ++c) dst[c] = static_cast<int16_t>(src[c] - input_zero_point);
    }
  }
  const std::vector<int16_t> wt(weights.data.begin(), weights.data.end());

  TensorI32 out({g.out_h, g.out_w, g.K});
  const int64_t taps = g.R * g.S;
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      int32_t* acc_out = &out.data[static_cast<size_t>((oh * g.out_w + ow) * g.K)];
      // Top-left corner of this output's window in the padded input.
      const int16_t* window = &xp[static_cast<size_t>((oh * g.stride_h * Wp + ow * g.stride_w) * g.C)];
      for (int64_t k = 0; k < g.K; ++k) {
        const int64_t group = k / Kg;
        const int16_t* wk = &wt[static_cast<size_t>(k * taps * Cg)];
        const int16_t* xg = window + group * Cg;
        int32_t acc = bias.empty() ? 0 : bias[static_cast<size_t>(k)];
        for (int64_t r = 0; r < g.R; ++r) {
          const int16_t* xrow = xg + r * g.dilation * Wp * g.C;
          for (int64_t s = 0; s < g.S; ++s) {
            acc += dot_i16(xrow + s * g.dilation * g.C, wk + (r * g.S + s) * Cg, Cg);
          }
        }
        acc_out[k] = acc;
      }
    }
  }
  return out;
}

TensorI8 conv2d(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                int32_t input_zero_point, const ConvGeom& geom, const Requant& rq) {
  check_requant(rq, geom.K, "conv2d");
  const TensorI32 acc = conv2d_acc(input, weights, bias, input_zero_point, geom);
  TensorI8 out(acc.shape);
  const int64_t K = geom.K;
  for (int64_t i = 0; i < acc.size(); ++i) out[i] = requantize(acc[i], rq, i % K);
  return out;
}

}  // namespace npusim::quant
