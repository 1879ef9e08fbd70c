#include "models/fixynn/fixed_net_builder.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/conv2d.h"

namespace npusim::fixynn {
namespace {

std::string layer_what(const Layer& l) {
  return "fixynn: " + (l.source.empty() ? std::string() : l.source + ": ") + "layer '" + l.name + "'";
}

// groups == C (and C > 1 or an explicit dwconv) with K == C.
bool is_depthwise(const Layer& l) {
  return l.op == OpType::DwConv || (l.groups == l.C && l.groups > 1);
}

void check_layer(const Layer& l) {
  const std::string what = layer_what(l);
  if (l.op != OpType::Conv && l.op != OpType::DwConv) {
    throw InputError(what + ": op '" + to_string(l.op) +
                     "' can't be a fixed-weight stage (only conv and dwconv)");
  }
  if (l.batch != 1)
    throw InputError(what + ": batch " + std::to_string(l.batch) + ", a fixed-weight stage needs 1");
  if (is_depthwise(l)) {
    if (l.groups != l.C) {
      throw InputError(what + ": depthwise with groups " + std::to_string(l.groups) + " != C " +
                       std::to_string(l.C));
    }
    if (l.K != l.C) {
      throw InputError(what + ": depthwise channel multiplier " + std::to_string(l.K) + "/" +
                       std::to_string(l.C) + ", a fixed-weight stage needs 1");
    }
  } else if (l.groups != 1) {
    throw InputError(what + ": groups " + std::to_string(l.groups) + " (only 1 or C are supported)");
  }
}

// The conv of one layer with its constants (zeros when the operands carry no values).
FixedConv make_conv(const Layer& l, const LayerOperands& op) {
  const std::string what = layer_what(l);
  FixedConv c;
  c.R = l.R, c.S = l.S, c.C = l.C, c.K = l.K;
  c.depthwise = is_depthwise(l);
  const int64_t cg = c.depthwise ? 1 : c.C;
  const size_t n_w = static_cast<size_t>(c.K * c.R * c.S * cg);
  const size_t k = static_cast<size_t>(c.K);
  if (!op.values) {
    c.weights.assign(n_w, 0);
    c.bias.assign(k, 0);
    c.multiplier.assign(k, 0);
    c.shift.assign(k, 0);
    return c;
  }
  if (op.weights.shape != std::vector<int64_t>{c.K, c.R, c.S, cg}) {
    throw InputError(what + ": weights are not OHWI [" + std::to_string(c.K) + "][" + std::to_string(c.R) +
                     "][" + std::to_string(c.S) + "][" + std::to_string(cg) + "]");
  }
  c.weights = op.weights.data;
  if (!op.bias.empty() && op.bias.size() != k) {
    throw InputError(what + ": bias has " + std::to_string(op.bias.size()) + " entries, expected " +
                     std::to_string(k));
  }
  c.bias = op.bias.empty() ? std::vector<int32_t>(k, 0) : op.bias;
  if (op.input_zero_point < -128 || op.input_zero_point > 127) {
    throw InputError(what + ": input zero point " + std::to_string(op.input_zero_point) + " outside int8");
  }
  c.input_zero_point = op.input_zero_point;
  // The stage's int32 accumulators must not overflow for any input (the generated adders are 32 bits).
  const int64_t max_x = 128 + std::abs(int64_t{c.input_zero_point});
  for (size_t ki = 0; ki < k; ++ki) {
    int64_t bound = std::abs(int64_t{c.bias[ki]});
    for (size_t e = ki * n_w / k; e < (ki + 1) * n_w / k; ++e)
      bound += std::abs(int64_t{c.weights[e]}) * max_x;
    if (bound > INT32_MAX) {
      throw InputError(what + ": output channel " + std::to_string(ki) +
                       "'s int32 accumulator could overflow");
    }
  }
  const quant::Requant& rq = op.requant;
  quant::check_requant(rq, c.K, what);
  c.single_rounding = rq.rounding == quant::Rounding::Single;
  const bool per_tensor = rq.multiplier.size() == 1;
  for (size_t i = 0; i < k; ++i) {
    c.multiplier.push_back(rq.multiplier[per_tensor ? 0 : i]);
    c.shift.push_back(rq.shift[per_tensor ? 0 : i]);
  }
  c.output_zero_point = rq.output_zero_point;
  c.act_min = rq.act_min, c.act_max = rq.act_max;
  return c;
}

// A 1x1 stride-1 unpadded plain conv: what a depthwise stage can absorb.
bool is_pointwise(const Layer& l) {
  return l.op == OpType::Conv && l.groups == 1 && l.R == 1 && l.S == 1 && l.stride_h == 1 &&
         l.stride_w == 1 && l.pad_top == 0 && l.pad_bottom == 0 && l.pad_left == 0 && l.pad_right == 0 &&
         l.batch == 1;
}

}  // namespace

FixedNet build_fixed_net(const std::vector<const Layer*>& layers,
                         const std::vector<const LayerOperands*>& ops, int adder_pipeline) {
  if (layers.empty()) throw InputError("fixynn: no layers to fix");
  if (ops.size() != layers.size()) {
    throw InputError("fixynn: " + std::to_string(layers.size()) + " layers but " +
                     std::to_string(ops.size()) + " operand sets");
  }
  if (adder_pipeline < 0)
    throw InputError("fixynn: adder_pipeline " + std::to_string(adder_pipeline) + " < 0");
  FixedNet net;
  net.adder_pipeline = adder_pipeline;
  net.a_bits = net.w_bits = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    check_layer(l);
    const quant::ConvGeom g = quant::conv_geom(l);  // validates the geometry, naming the layer
    if (i > 0) {
      const Layer& p = *layers[i - 1];
      if (l.H != p.out_h || l.W != p.out_w || l.C != p.K) {
        throw InputError(layer_what(l) + " reads " + std::to_string(l.H) + "x" + std::to_string(l.W) + "x" +
                         std::to_string(l.C) + " but the previous layer '" + p.name + "' writes " +
                         std::to_string(p.out_h) + "x" + std::to_string(p.out_w) + "x" + std::to_string(p.K));
      }
      if (!l.inputs.empty() && (l.inputs.size() != 1 || l.inputs[0] != p.name)) {
        throw InputError(layer_what(l) + " does not read the previous layer '" + p.name + "'");
      }
    }
    if (!ops[i]) throw InputError(layer_what(l) + ": no operands");
    net.a_bits = std::max(net.a_bits, l.a_bits);
    net.w_bits = std::max(net.w_bits, l.w_bits);
    FixedStage st;
    st.name = l.name;
    st.layers = {l.name};
    st.H = g.H, st.W = g.W;
    st.stride_h = g.stride_h, st.stride_w = g.stride_w;
    st.pad_top = g.pad_top, st.pad_left = g.pad_left;
    st.dilation = g.dilation;
    st.OH = g.out_h, st.OW = g.out_w;
    st.first = make_conv(l, *ops[i]);
    net.stages.push_back(std::move(st));
    // Fuse a following pointwise conv into a depthwise stage (validated as the next layer first).
    if (is_depthwise(l) && i + 1 < layers.size() && is_pointwise(*layers[i + 1])) {
      const Layer& pw = *layers[i + 1];
      check_layer(pw);
      quant::conv_geom(pw);
      if (pw.H != g.out_h || pw.W != g.out_w || pw.C != l.K ||
          (!pw.inputs.empty() && (pw.inputs.size() != 1 || pw.inputs[0] != l.name))) {
        continue;  // not its reader: the shape check of the next iteration reports it
      }
      if (!ops[i + 1]) throw InputError(layer_what(pw) + ": no operands");
      FixedStage& fs = net.stages.back();
      fs.fused = true;
      fs.second = make_conv(pw, *ops[i + 1]);
      fs.name = l.name + "+" + pw.name;
      fs.layers.push_back(pw.name);
      net.a_bits = std::max(net.a_bits, pw.a_bits);
      net.w_bits = std::max(net.w_bits, pw.w_bits);
      ++i;
    }
  }
  return net;
}

}  // namespace npusim::fixynn
