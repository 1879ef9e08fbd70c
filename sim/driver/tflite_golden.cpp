#include "sim/driver/tflite_golden.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "sim/common/error.h"
#include "sim/driver/tflite_lstm.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/activation_range.h"
#include "sim/quant/activations.h"
#include "sim/quant/add.h"
#include "sim/quant/conv2d.h"
#include "sim/quant/elementwise.h"
#include "sim/quant/fully_connected.h"
#include "sim/quant/pool.h"
#include "sim/quant/quantize_op.h"
#include "sim/quant/reduce.h"
#include "sim/quant/requant.h"
#include "sim/quant/shape_ops.h"
#include "sim/quant/softmax.h"

namespace npusim {
namespace {

using quant::FusedActivation;

DType dtype_of(TfliteType t) {
  switch (t) {
    case TfliteType::Float32:
      return DType::Float32;
    case TfliteType::Int32:
      return DType::Int32;
    case TfliteType::Int16:
      return DType::Int16;
    case TfliteType::Int8:
      return DType::Int8;
  }
  return DType::Int8;
}

bool holds_data(const TensorValue& v) {
  return !v.i8.empty() || !v.i16.empty() || !v.i32.empty() || !v.f32.empty();
}

// One operator's evaluation context: resolved inputs, the model's tensors, and error prefixes.
struct OpEval {
  const TfliteModel& m;
  const TfliteOperator& op;
  std::vector<TensorValue> in;  // by op input position; absent inputs stay empty
  quant::Rounding rounding;
  TfliteKernels kernels;
  quant::LstmReference lstm;

  [[noreturn]] void fail(const std::string& msg) const { throw InputError(msg); }

  const TfliteTensor& tensor_in(size_t k) const {
    if (k >= op.inputs.size() || op.inputs[k] < 0) fail("input " + std::to_string(k) + " is absent");
    return m.tensors[static_cast<size_t>(op.inputs[k])];
  }
  const TfliteTensor& tensor_out() const { return m.tensors[static_cast<size_t>(op.outputs.at(0))]; }
  bool present(size_t k) const { return k < op.inputs.size() && op.inputs[k] >= 0; }

  // Per-tensor (scale, zero point) of a quantized tensor; InputError if it is not quantized that way.
  float scale(const TfliteTensor& t, const char* what) const {
    if (t.quant.scales.size() != 1) {
      fail(std::string(what) + " '" + t.name + "' needs per-tensor quantization (has " +
           std::to_string(t.quant.scales.size()) + " scales)");
    }
    return t.quant.scales[0];
  }
  int32_t zero_point(const TfliteTensor& t) const {
    return t.quant.zero_points.empty() ? 0 : static_cast<int32_t>(t.quant.zero_points[0]);
  }

  const TensorValue& value(size_t k, DType want) const {
    const TfliteTensor& t = tensor_in(k);
    const TensorValue& v = in[k];
    if (dtype_of(t.type) != want || v.type != want) {
      fail("input " + std::to_string(k) + " '" + t.name + "' is " + tflite_type_name(t.type) + ", expected " +
           dtype_name(want));
    }
    if (v.elements() != static_cast<int64_t>(want == DType::Int8    ? v.i8.size()
                                             : want == DType::Int16 ? v.i16.size()
                                             : want == DType::Int32 ? v.i32.size()
                                                                    : v.f32.size())) {
      fail("input " + std::to_string(k) + " '" + t.name + "' holds a different element count than its shape");
    }
    return v;
  }
  TensorI8 i8(size_t k) const { return value(k, DType::Int8).as_i8(); }
  std::vector<int32_t> i32(size_t k) const { return value(k, DType::Int32).i32; }

  void want_out(DType d) const {
    if (dtype_of(tensor_out().type) != d) {
      fail(std::string("output '") + tensor_out().name + "' is " + tflite_type_name(tensor_out().type) +
           ", expected " + dtype_name(d));
    }
  }

  // An int8 result with the output tensor's quantization.
  TensorValue out_i8(TensorI8 t) const {
    want_out(DType::Int8);
    const TfliteTensor& o = tensor_out();
    return TensorValue::of_i8(t, o.quant.scales.empty() ? 0.0 : o.quant.scales[0], zero_point(o));
  }

  FusedActivation activation() const {
    switch (op.options.activation) {
      case TfliteActivation::None:
        return FusedActivation::None;
      case TfliteActivation::Relu:
        return FusedActivation::Relu;
      case TfliteActivation::ReluN1To1:
        return FusedActivation::ReluN1To1;
      case TfliteActivation::Relu6:
        return FusedActivation::Relu6;
      case TfliteActivation::Tanh:
        break;
    }
    fail(std::string("fused activation '") + tflite_activation_name(op.options.activation) +
         "' is not supported");
  }
  std::pair<int32_t, int32_t> act_range() const {
    const TfliteTensor& o = tensor_out();
    return quant::activation_range_quantized(activation(), scale(o, "output"), zero_point(o));
  }

  // ---- operators ---------------------------------------------------------------------------------

  // TFLite's padding: ComputeOutSize + ComputePaddingWithOffset (top/left = total / 2, the odd unit
  // at the bottom/right). Fills the spatial fields of g from the input [N][H][W][C].
  void spatial_geom(quant::ConvGeom& g, int64_t filter_h, int64_t filter_w, int dil_h, int dil_w) const {
    const TfliteOptions& o = op.options;
    auto one_axis = [&](int64_t in, int64_t filter, int stride, int dil, int64_t* before, int64_t* after) {
      const int64_t eff = (filter - 1) * dil + 1;
      const int64_t out =
          o.padding == TflitePadding::Same ? (in + stride - 1) / stride : (in + stride - eff) / stride;
      if (out < 1) fail("the filter is larger than the input (empty output)");
      const int64_t total = std::max<int64_t>((out - 1) * stride + eff - in, 0);
      *before = total / 2;
      *after = total - total / 2;
      if (quant::conv_out_size(in, *before, *after, filter, stride, dil) != out) {
        fail("padding geometry disagrees with TFLite's output size");
      }
    };
    one_axis(g.H, filter_h, o.stride_h, dil_h, &g.pad_top, &g.pad_bottom);
    one_axis(g.W, filter_w, o.stride_w, dil_w, &g.pad_left, &g.pad_right);
    g.R = filter_h, g.S = filter_w;
    g.stride_h = o.stride_h, g.stride_w = o.stride_w;
  }

  const TensorValue& nhwc(size_t k) const {
    const TensorValue& v = value(k, DType::Int8);
    if (v.shape.size() != 4)
      fail("input " + std::to_string(k) + " must be 4-D NHWC, has rank " + std::to_string(v.shape.size()));
    return v;
  }

  // Per-output-channel requantization of conv / depthwise / fully connected (kernel_util.cc
  // PopulateConvolutionQuantizationParams: (double)s_in * (double)s_w[k] / (double)s_out).
  // The builtin conv and fully-connected kernels run their GEMM through ruy, whose ApplyMultiplier is
  // single-rounding whatever TFLite's build (ruy/apply_multiplier.cc since 2021); the builtin
  // depthwise kernel requantizes with TFLite's own MultiplyByQuantizedMultiplier, like the reference.
  quant::Rounding gemm_rounding(bool ruy_gemm) const {
    return kernels == TfliteKernels::Builtin && ruy_gemm ? quant::Rounding::Single : rounding;
  }

  enum class Gemm { Conv, Depthwise, FullyConnected };
  quant::Requant conv_requant(const TfliteTensor& filter, int64_t channels, Gemm kind) const {
    const TfliteTensor& input = tensor_in(0);
    const TfliteTensor& output = tensor_out();
    const float s_in = scale(input, "input"), s_out = scale(output, "output");
    if (filter.quant.scales.empty()) fail("filter '" + filter.name + "' is not quantized");
    for (int64_t zp : filter.quant.zero_points) {
      if (zp != 0)
        fail("filter '" + filter.name + "' has a non-zero zero point (int8 weights must be symmetric)");
    }
    const bool per_channel = filter.quant.scales.size() > 1;
    if (per_channel && static_cast<int64_t>(filter.quant.scales.size()) != channels) {
      fail("filter '" + filter.name + "' has " + std::to_string(filter.quant.scales.size()) + " scales for " +
           std::to_string(channels) + " output channels");
    }
    std::vector<double> real(per_channel ? filter.quant.scales.size() : 1);
    for (size_t i = 0; i < real.size(); ++i) {
      const float s_w = filter.quant.scales[i];
      // fully_connected.cc's per-tensor path (GetQuantizedConvolutionMultipler) multiplies the two
      // float32 scales in float first.
      real[i] = kind == Gemm::FullyConnected && !per_channel
                    ? static_cast<double>(s_in * s_w) / static_cast<double>(s_out)
                    : static_cast<double>(s_in) * static_cast<double>(s_w) / static_cast<double>(s_out);
    }
    quant::Requant rq =
        quant::make_requant(real, zero_point(output), 8, gemm_rounding(kind != Gemm::Depthwise));
    std::tie(rq.act_min, rq.act_max) = act_range();
    if (rq.act_min > rq.act_max) fail("empty fused activation range");
    return rq;
  }

  std::vector<int32_t> bias(size_t k, int64_t channels) const {
    if (!present(k)) return {};
    std::vector<int32_t> b = i32(k);
    if (static_cast<int64_t>(b.size()) != channels) {
      fail("bias has " + std::to_string(b.size()) + " values for " + std::to_string(channels) +
           " output channels");
    }
    return b;
  }

  TensorValue conv(bool depthwise) const {
    const TensorValue& x = nhwc(0);
    const TensorValue& wv = value(1, DType::Int8);
    const TfliteTensor& filter = tensor_in(1);
    if (wv.shape.size() != 4) fail("filter must be 4-D");
    const TfliteOptions& o = op.options;
    if (o.dilation_h != o.dilation_w)
      fail("different dilation factors for height and width are not supported");
    const int64_t N = x.shape[0];
    quant::ConvGeom g;
    g.H = x.shape[1], g.W = x.shape[2], g.C = x.shape[3];
    g.dilation = o.dilation_h;
    TensorI8 w;
    w.shape = wv.shape;
    w.data = wv.i8;
    if (depthwise) {
      // [1][R][S][C * mult] -> [C * mult][R][S][1]: output channel k reads input channel k / mult,
      // which is the grouped conv with groups = C.
      if (wv.shape[0] != 1) fail("depthwise filter must be [1][R][S][C*multiplier]");
      const int64_t R = wv.shape[1], S = wv.shape[2], K = wv.shape[3];
      if (K != g.C * o.depth_multiplier) {
        fail("depthwise filter has " + std::to_string(K) + " channels for " + std::to_string(g.C) +
             " inputs x depth_multiplier " + std::to_string(o.depth_multiplier));
      }
      TensorI8 t({K, R, S, 1});
      for (int64_t rs = 0; rs < R * S; ++rs)
        for (int64_t k = 0; k < K; ++k) t[k * R * S + rs] = wv.i8[static_cast<size_t>(rs * K + k)];
      w = std::move(t);
      g.K = K;
      g.groups = g.C;
    } else {
      g.K = wv.shape[0];
      if (wv.shape[3] < 1 || g.C % wv.shape[3] != 0) {
        fail("filter depth " + std::to_string(wv.shape[3]) + " does not divide the input depth " +
             std::to_string(g.C));
      }
      g.groups = g.C / wv.shape[3];
    }
    spatial_geom(g, w.shape[1], w.shape[2], o.dilation_h, o.dilation_w);
    g = quant::finalize_geom(g, "conv");
    const quant::Requant rq = conv_requant(filter, g.K, depthwise ? Gemm::Depthwise : Gemm::Conv);
    const std::vector<int32_t> b = bias(2, g.K);
    const int32_t zp_in = zero_point(tensor_in(0));
    const int64_t in_elems = g.H * g.W * g.C;
    TensorI8 out({N, g.out_h, g.out_w, g.K});
    const int64_t out_elems = g.out_h * g.out_w * g.K;
    for (int64_t n = 0; n < N; ++n) {
      TensorI8 img({g.H, g.W, g.C});
      std::copy_n(x.i8.begin() + n * in_elems, in_elems, img.data.begin());
      const TensorI8 y = quant::conv2d(img, w, b, zp_in, g, rq);
      std::copy(y.data.begin(), y.data.end(), out.data.begin() + n * out_elems);
    }
    return out_i8(std::move(out));
  }

  TensorValue fully_connected() const {
    const TensorValue& x = value(0, DType::Int8);
    const TensorValue& wv = value(1, DType::Int8);
    if (wv.shape.size() != 2) fail("weights must be 2-D [units][depth]");
    const int64_t N = wv.shape[0], K = wv.shape[1];
    if (K == 0 || x.elements() % K != 0)
      fail("input size " + std::to_string(x.elements()) + " is not a multiple of depth " + std::to_string(K));
    const int64_t batch = x.elements() / K;
    TensorI8 in2({batch, K});
    in2.data = x.i8;
    TensorI8 w({N, K});
    w.data = wv.i8;
    const quant::Requant rq = conv_requant(tensor_in(1), N, Gemm::FullyConnected);
    TensorI8 y = quant::fully_connected(in2, w, bias(2, N), zero_point(tensor_in(0)), rq);
    if (op.options.keep_num_dims) {
      std::vector<int64_t> s = x.shape;
      s.back() = N;
      y.shape = s;
    }
    return out_i8(std::move(y));
  }

  TensorValue pool(bool average) const {
    const TensorValue& x = nhwc(0);
    const TfliteTensor& ti = tensor_in(0);
    const TfliteTensor& to = tensor_out();
    if (std::abs(scale(ti, "input") - scale(to, "output")) > 1.0e-6f || zero_point(ti) != zero_point(to)) {
      fail("pool input and output quantization differ (TFLite requires them equal)");
    }
    quant::ConvGeom g;
    g.H = x.shape[1], g.W = x.shape[2], g.C = x.shape[3];
    spatial_geom(g, op.options.filter_h, op.options.filter_w, 1, 1);
    g.K = g.C;
    g = quant::finalize_geom(g, "pool");
    const auto [lo, hi] = act_range();
    const int64_t N = x.shape[0], in_elems = g.H * g.W * g.C, out_elems = g.out_h * g.out_w * g.C;
    TensorI8 out({N, g.out_h, g.out_w, g.C});
    for (int64_t n = 0; n < N; ++n) {
      TensorI8 img({g.H, g.W, g.C});
      std::copy_n(x.i8.begin() + n * in_elems, in_elems, img.data.begin());
      const TensorI8 y = average ? quant::avg_pool(img, g, lo, hi) : quant::max_pool(img, g, lo, hi);
      std::copy(y.data.begin(), y.data.end(), out.data.begin() + n * out_elems);
    }
    return out_i8(std::move(out));
  }

  TensorValue binary(int code) const {
    const TensorI8 a = i8(0), b = i8(1);
    const TfliteTensor &ta = tensor_in(0), &tb = tensor_in(1), &to = tensor_out();
    const float sa = scale(ta, "input 1"), sb = scale(tb, "input 2"), so = scale(to, "output");
    const int32_t za = zero_point(ta), zb = zero_point(tb), zo = zero_point(to);
    const auto [lo, hi] = act_range();
    if (code == 0) {  // ADD
      quant::AddParams p = quant::make_add_params(sa, za, sb, zb, so, zo, 8);
      p.act_min = lo, p.act_max = hi;
      return out_i8(quant::add_broadcast(a, b, p));
    }
    if (code == 1) {  // SUB
      quant::SubParams p = quant::make_sub_params(sa, za, sb, zb, so, zo);
      p.act_min = lo, p.act_max = hi;
      return out_i8(quant::sub(a, b, p));
    }
    quant::MulParams p = quant::make_mul_params(sa, za, sb, zb, so, zo);
    p.act_min = lo, p.act_max = hi;
    return out_i8(quant::mul(a, b, p));
  }

  TensorValue mean() const {
    const TensorI8 x = i8(0);
    const TfliteTensor &ti = tensor_in(0), &to = tensor_out();
    const std::vector<int32_t> axes = i32(1);
    if (kernels == TfliteKernels::Builtin && op.options.keep_dims && x.shape.size() == 4) {
      // reduce.cc takes optimized_integer_ops::Mean when the resolved axes are exactly {1, 2}.
      const std::vector<int> r = quant::resolve_axes(axes, 4);
      if (r.size() == 2 && ((r[0] == 1 && r[1] == 2) || (r[0] == 2 && r[1] == 1))) {
        return out_i8(quant::mean_int8_hw_optimized(x, scale(ti, "input"), zero_point(ti),
                                                    scale(to, "output"), zero_point(to)));
      }
    }
    return out_i8(quant::mean_int8_reference(x, axes, op.options.keep_dims, scale(ti, "input"),
                                             zero_point(ti), scale(to, "output"), zero_point(to)));
  }

  TensorValue pad() const {
    const TensorI8 x = i8(0);
    const std::vector<int32_t> p = i32(1);
    if (p.size() != 2 * x.shape.size())
      fail("paddings hold " + std::to_string(p.size()) + " values for rank " +
           std::to_string(x.shape.size()));
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (size_t k = 0; k < x.shape.size(); ++k) pairs.emplace_back(p[2 * k], p[2 * k + 1]);
    const int32_t zo = zero_point(tensor_out());
    if (zo < -128 || zo > 127) fail("output zero point outside int8");
    return out_i8(quant::pad_int8(x, pairs, static_cast<int8_t>(zo)));
  }

  TensorValue reshape(bool squeeze) const {
    const TensorValue& x = in[0];
    if (x.type != DType::Int8 || dtype_of(tensor_in(0).type) != DType::Int8)
      fail("only int8 tensors are supported");
    std::vector<int64_t> shape;
    if (squeeze) {
      shape = quant::squeeze_shape(x.shape, op.options.squeeze_dims);
    } else if (present(1)) {
      shape = quant::reshape_shape(x.shape, i32(1));
    } else if (!op.options.new_shape.empty()) {
      shape = quant::reshape_shape(x.shape, op.options.new_shape);
    } else {
      shape = quant::reshape_shape(x.shape, tensor_out().shape);
    }
    TensorI8 t = x.as_i8();
    t.shape = shape;
    return out_i8(std::move(t));
  }

  TensorValue concatenation() const {
    if (activation() != FusedActivation::None)
      fail("a fused activation is not supported (TFLite requires none)");
    std::vector<TensorI8> vals;
    for (size_t k = 0; k < op.inputs.size(); ++k) vals.push_back(i8(k));
    std::vector<quant::ConcatInput> ins;
    for (size_t k = 0; k < vals.size(); ++k) {
      ins.push_back({&vals[k], scale(tensor_in(k), "input"), zero_point(tensor_in(k))});
    }
    const TfliteTensor& to = tensor_out();
    return out_i8(quant::concat_int8(ins, op.options.axis, scale(to, "output"), zero_point(to)));
  }

  TensorValue strided_slice() const {
    quant::StridedSliceSpec s;
    s.begin = i32(1), s.end = i32(2), s.strides = i32(3);
    const TfliteOptions& o = op.options;
    s.begin_mask = o.begin_mask, s.end_mask = o.end_mask, s.shrink_axis_mask = o.shrink_axis_mask;
    s.ellipsis_mask = o.ellipsis_mask, s.new_axis_mask = o.new_axis_mask;
    return out_i8(quant::strided_slice_int8(i8(0), s));
  }

  TensorValue softmax() const {
    const TfliteTensor &ti = tensor_in(0), &to = tensor_out();
    want_out(DType::Int8);
    quant::check_softmax_output(scale(to, "output"), zero_point(to), "softmax");
    if (kernels == TfliteKernels::Builtin) {
      return out_i8(quant::softmax_int8_lut(i8(0), scale(ti, "input"), op.options.beta, scale(to, "output"),
                                            zero_point(to)));
    }
    const quant::SoftmaxParams p = quant::make_softmax_params(op.options.beta, scale(ti, "input"));
    return out_i8(quant::softmax_int8_reference(i8(0), p));
  }

  TensorValue lut(bool logistic) const {
    const TfliteTensor &ti = tensor_in(0), &to = tensor_out();
    const float si = scale(ti, "input"), so = scale(to, "output");
    const quant::Lut8 table = logistic ? quant::logistic_lut_int8(si, zero_point(ti), so, zero_point(to))
                                       : quant::tanh_lut_int8(si, zero_point(ti), so, zero_point(to));
    return out_i8(quant::apply_lut(i8(0), table));
  }

  TensorValue relu(float lo, float hi) const {
    const TfliteTensor &ti = tensor_in(0), &to = tensor_out();
    const quant::ReluParams p = quant::make_relu_params(scale(ti, "input"), zero_point(ti),
                                                        scale(to, "output"), zero_point(to), lo, hi);
    return out_i8(quant::relu_int8(i8(0), p));
  }

  TensorValue quantize() const {
    const TfliteTensor &ti = tensor_in(0), &to = tensor_out();
    want_out(DType::Int8);
    const float so = scale(to, "output");
    const int32_t zo = zero_point(to);
    if (ti.type == TfliteType::Float32) {
      const TensorValue& x = value(0, DType::Float32);
      TensorI8 t;
      t.shape = x.shape;
      t.data = quant::quantize_floats(x.f32, so, zo, kernels == TfliteKernels::Builtin);
      return out_i8(std::move(t));
    }
    const quant::RequantizeParams p =
        quant::make_requantize_params(scale(ti, "input"), zero_point(ti), so, zo);
    return out_i8(quant::requantize_int8(i8(0), p));
  }

  TensorValue dequantize() const {
    const TfliteTensor& ti = tensor_in(0);
    want_out(DType::Float32);
    const TensorValue& x = value(0, DType::Int8);
    TensorValue v;
    v.type = DType::Float32;
    v.shape = x.shape;
    v.f32 = quant::dequantize_int8(x.i8, scale(ti, "input"), zero_point(ti));
    return v;
  }

  TensorValue run() const {
    const std::string& n = op.op;
    if (n == "CONV_2D") return conv(false);
    if (n == "DEPTHWISE_CONV_2D") return conv(true);
    if (n == "FULLY_CONNECTED") return fully_connected();
    if (n == "AVERAGE_POOL_2D") return pool(true);
    if (n == "MAX_POOL_2D") return pool(false);
    if (n == "ADD") return binary(0);
    if (n == "SUB") return binary(1);
    if (n == "MUL") return binary(2);
    if (n == "MEAN") return mean();
    if (n == "PAD") return pad();
    if (n == "RESHAPE") return reshape(false);
    if (n == "SQUEEZE") return reshape(true);
    if (n == "CONCATENATION") return concatenation();
    if (n == "STRIDED_SLICE") return strided_slice();
    if (n == "SOFTMAX") return softmax();
    if (n == "LOGISTIC") return lut(true);
    if (n == "TANH") return lut(false);
    if (n == "RELU") return relu(0.0f, std::numeric_limits<float>::infinity());
    if (n == "RELU6") return relu(0.0f, 6.0f);
    if (n == "RELU_N1_TO_1") return relu(-1.0f, 1.0f);
    if (n == "QUANTIZE") return quantize();
    if (n == "DEQUANTIZE") return dequantize();
    if (n == "UNIDIRECTIONAL_SEQUENCE_LSTM") return eval_tflite_lstm_as(m, op, value(0, DType::Int8), lstm);
    fail("no golden kernel for this operator");
  }
};

std::string op_prefix(const TfliteModel& m, const TfliteOperator& op) {
  return m.path + ": operator " + std::to_string(op.index) + " (" + op.op + "): ";
}

}  // namespace

TensorValue tflite_constant(const TfliteModel& m, int tensor_index) {
  if (tensor_index < 0 || static_cast<size_t>(tensor_index) >= m.tensors.size()) {
    throw InputError(m.path + ": tensor " + std::to_string(tensor_index) + " does not exist");
  }
  const TfliteTensor& t = m.tensors[static_cast<size_t>(tensor_index)];
  if (!t.has_data())
    throw InputError(m.path + ": tensor " + std::to_string(tensor_index) + " '" + t.name + "' holds no data");
  TensorValue v;
  v.type = dtype_of(t.type);
  v.shape = t.dims();
  // The reader checked the byte count.
  switch (v.type) {
    case DType::Int8: v.i8 = t.values<int8_t>(); break;
    case DType::Int16: v.i16 = t.values<int16_t>(); break;
    case DType::Int32: v.i32 = t.values<int32_t>(); break;
    case DType::Float32: v.f32 = t.values<float>(); break;
  }
  if (t.quant.scales.size() == 1) {
    v.scale = t.quant.scales[0];
    v.zero_point = static_cast<int32_t>(t.quant.zero_points[0]);
  }
  return v;
}

TensorValue eval_tflite_op(const TfliteModel& m, const TfliteOperator& op,
                           const std::vector<TensorValue>& inputs, quant::Rounding rounding) {
  return eval_tflite_op(m, op, inputs, rounding, TfliteKernels::Reference);
}

TensorValue eval_tflite_op(const TfliteModel& m, const TfliteOperator& op,
                           const std::vector<TensorValue>& inputs, quant::Rounding rounding,
                           TfliteKernels kernels, quant::LstmReference lstm) {
  OpEval e{m, op, {}, rounding, kernels, lstm};
  try {
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      const int ti = op.inputs[k];
      if (k < inputs.size() && holds_data(inputs[k])) {
        e.in.push_back(inputs[k]);
      } else if (ti >= 0 && m.tensors[static_cast<size_t>(ti)].has_data()) {
        e.in.push_back(tflite_constant(m, ti));
      } else {
        e.in.emplace_back();
        if (ti >= 0 && m.tensors[static_cast<size_t>(ti)].elements() > 0 &&
            !m.tensors[static_cast<size_t>(ti)].is_variable) {
          throw InputError("input " + std::to_string(k) + " '" + m.tensors[static_cast<size_t>(ti)].name +
                           "' has no value");
        }
      }
    }
    return e.run();
  } catch (const InputError& err) {
    throw InputError(op_prefix(m, op) + err.what());
  }
}

quant::Requant tflite_gemm_requant(const TfliteModel& m, const TfliteOperator& op, quant::Rounding rounding,
                                   TfliteKernels kernels) {
  OpEval e{m, op, {}, rounding, kernels, quant::LstmReference::Tflm};
  try {
    const TfliteTensor& filter = e.tensor_in(1);
    const auto kind = op.op == "CONV_2D"             ? OpEval::Gemm::Conv
                      : op.op == "DEPTHWISE_CONV_2D" ? OpEval::Gemm::Depthwise
                                                     : OpEval::Gemm::FullyConnected;
    const TfliteTensor& out = e.tensor_out();
    const int64_t channels = out.shape.empty() ? 1 : out.shape.back();
    return e.conv_requant(filter, channels, kind);
  } catch (const InputError& err) {
    throw InputError(op_prefix(m, op) + err.what());
  }
}

std::vector<TensorValue> eval_tflite_model(const TfliteModel& m, const std::vector<TensorValue>& model_inputs,
                                           quant::Rounding rounding) {
  return eval_tflite_model(m, model_inputs, rounding, TfliteKernels::Reference);
}

std::vector<TensorValue> eval_tflite_model(const TfliteModel& m, const std::vector<TensorValue>& model_inputs,
                                           quant::Rounding rounding, TfliteKernels kernels,
                                           quant::LstmReference lstm) {
  std::vector<TensorValue> values(m.tensors.size());
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    if (m.tensors[i].has_data()) values[i] = tflite_constant(m, static_cast<int>(i));
  }
  if (model_inputs.size() != m.inputs.size()) {
    throw InputError(m.path + ": " + std::to_string(model_inputs.size()) + " input values for " +
                     std::to_string(m.inputs.size()) + " model inputs");
  }
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    const TfliteTensor& t = m.tensors[static_cast<size_t>(m.inputs[k])];
    const TensorValue& v = model_inputs[k];
    if (v.type != dtype_of(t.type) || v.shape != t.dims()) {
      throw InputError(m.path + ": input " + std::to_string(k) + " '" + t.name + "' must be " +
                       tflite_type_name(t.type) + " " + quant::shape_str(t.dims()) + ", got " +
                       dtype_name(v.type) + " " + quant::shape_str(v.shape));
    }
    values[static_cast<size_t>(m.inputs[k])] = v;
  }
  for (const TfliteOperator& op : m.operators) {
    std::vector<TensorValue> ins;
    for (int ti : op.inputs) ins.push_back(ti >= 0 ? values[static_cast<size_t>(ti)] : TensorValue{});
    TensorValue out = eval_tflite_op(m, op, ins, rounding, kernels, lstm);
    const TfliteTensor& t = m.tensors[static_cast<size_t>(op.outputs[0])];
    if (out.shape != t.dims()) {
      throw InputError(op_prefix(m, op) + "computed output shape " + quant::shape_str(out.shape) +
                       " differs from the model's " + quant::shape_str(t.dims()));
    }
    values[static_cast<size_t>(op.outputs[0])] = std::move(out);
  }
  return values;
}

}  // namespace npusim
