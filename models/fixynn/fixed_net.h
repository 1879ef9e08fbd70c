#pragma once
// The fixed-weight front end of a FixyNN design (DESIGN.md §7, docs/fixynn.md) as one description that
// both the C++ cycle core (fixed_pipeline_core.*) and the Verilog generator (verilog_gen.*) are built
// from: stages in order, each with its geometry, its constant weights, bias, requantization and clamp.
// A depthwise conv followed by a 1x1 conv becomes one fused stage (the paper's depthwise-separable
// fusion: the 1x1 needs no line buffer).
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace npusim::fixynn {

// One convolution of a stage: out[k] = clamp(requant_k(bias[k] + sum (x - input_zero_point) * w)),
// padded positions contribute nothing (TFLite's conv: equal to padding with the zero point).
struct FixedConv {
  int64_t R = 1, S = 1;         // kernel
  int64_t C = 1, K = 1;         // input / output channels
  bool depthwise = false;       // K == C, weights [K][R][S][1]
  std::vector<int8_t> weights;  // OHWI: [K][R][S][C] (depthwise [K][R][S][1])
  std::vector<int32_t> bias;    // [K]
  int32_t input_zero_point = 0;
  std::vector<int32_t> multiplier;  // [K] Q31 mantissas (TFLite QuantizeMultiplier)
  std::vector<int> shift;           // [K]
  int32_t output_zero_point = 0;
  int32_t act_min = -128, act_max = 127;
  bool single_rounding = false;  // TFLITE_SINGLE_ROUNDING requantization (else TFLite's double rounding)
  // Constants that become logic (a zero weight generates none).
  int64_t nonzero_weights() const {
    int64_t n = 0;
    for (int8_t w : weights) n += w != 0;
    return n;
  }
};

struct FixedStage {
  std::string name;                 // the layer (for a fused stage: "<dw>+<pw>")
  std::vector<std::string> layers;  // the workload layers it implements (1 or 2)
  int64_t H = 1, W = 1;             // input feature map
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0;  // bottom/right padding follows from OH/OW
  int64_t dilation = 1;
  int64_t OH = 1, OW = 1;  // output feature map
  FixedConv first;         // the windowed conv (R x S)
  bool fused = false;      // a 1x1 conv follows in the same stage
  FixedConv second;        // the fused 1x1 (R = S = 1), when fused
  int64_t in_channels() const { return first.C; }
  int64_t out_channels() const { return fused ? second.K : first.K; }
  int64_t nonzero_weights() const { return first.nonzero_weights() + (fused ? second.nonzero_weights() : 0); }
  // Rows the line buffer holds: the dilated window's height plus one, so the next input row streams in
  // while the last windows of a row still read its oldest row (one output pixel per cycle, no per-row
  // bubbles; DeepFreeze's window register buffer plays this part).
  int64_t buffer_rows() const { return (first.R - 1) * dilation + 2; }
};

struct FixedNet {
  std::vector<FixedStage> stages;
  int a_bits = 8, w_bits = 8;
  int adder_pipeline = 0;  // register stages after each stage's output computation (see docs/fixynn.md)
};

// Equal descriptions build the same hardware (e.g. to reuse an elaborated front end).
inline bool operator==(const FixedConv& a, const FixedConv& b) {
  return std::tie(a.R, a.S, a.C, a.K, a.depthwise, a.weights, a.bias, a.input_zero_point, a.multiplier,
                  a.shift, a.output_zero_point, a.act_min, a.act_max, a.single_rounding) ==
         std::tie(b.R, b.S, b.C, b.K, b.depthwise, b.weights, b.bias, b.input_zero_point, b.multiplier,
                  b.shift, b.output_zero_point, b.act_min, b.act_max, b.single_rounding);
}
inline bool operator==(const FixedStage& a, const FixedStage& b) {
  return std::tie(a.name, a.layers, a.H, a.W, a.stride_h, a.stride_w, a.pad_top, a.pad_left, a.dilation, a.OH,
                  a.OW, a.first, a.fused, a.second) == std::tie(b.name, b.layers, b.H, b.W, b.stride_h,
                                                                b.stride_w, b.pad_top, b.pad_left, b.dilation,
                                                                b.OH, b.OW, b.first, b.fused, b.second);
}
inline bool operator==(const FixedNet& a, const FixedNet& b) {
  return std::tie(a.stages, a.a_bits, a.w_bits, a.adder_pipeline) ==
         std::tie(b.stages, b.a_bits, b.w_bits, b.adder_pipeline);
}

}  // namespace npusim::fixynn
