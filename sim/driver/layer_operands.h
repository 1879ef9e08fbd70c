#pragma once
// One array layer's operands from its input and the seed (weights, bias, the family's weight
// preparation, quantization chosen from the golden accumulators), its golden result, and the judgement
// of what the hardware returned against that golden result.
#include <cstdint>

#include "sim/driver/quant_choice.h"
#include "sim/family/family.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

struct PreparedLayer {
  LayerOperands ops;
  TensorI32 golden_acc;  // conv/fc [M][K]; recurrent [T][batch][4H]
  QTensor golden_out;    // the golden output with the output's quantization
};

// `x` is the layer's input (its producer's output, or drawn from the seed). Weights from
// `wgt:<layer>` (or the layer's .npy), bias from `bias:<layer>`.
PreparedLayer prepare_layer(const Layer& l, const LayerMapping& mapping, const QTensor& x, uint64_t seed,
                            bool symmetric, quant::Rounding rounding = quant::Rounding::Double);

// Stats of a simulated layer after comparing the outcome with golden: bit-exact for exact hardware,
// error statistics (family.error_vs_golden) otherwise, plus the family's own self-check.
LayerStats judge_layer(LayerOutcome& outcome, const PreparedLayer& p);

// Output shape the executor gives a layer's tensor (batch 1: conv-like [out_h][out_w][K]).
std::vector<int64_t> layer_output_shape(const Layer& l);

}  // namespace npusim
