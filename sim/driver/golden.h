#pragma once
// The golden network's ops for one layer (sim/quant), with the family's golden semantics applied by the
// caller (prepared weights, hardware_input). What every family's output is compared with.
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/family/family.h"
#include "sim/quant/requant.h"
#include "sim/workload/layer.h"

namespace npusim {

// Input / weight tensor shapes the executor materialises: the graph's shapes (sim/workload/graph.h), but
// recurrent inputs time-major [T][batch][I].
std::vector<int64_t> layer_input_shape(const Layer& l);
std::vector<int64_t> layer_weight_shape(const Layer& l);

// conv/dwconv/fc: int32 accumulators [M][K] (batch images stacked along M), bias included.
TensorI32 golden_acc(const Layer& l, const TensorI8& input, const TensorI8& w, const std::vector<int32_t>& bias,
                     int32_t zero_point);
TensorI8 requantize_all(const TensorI32& acc, const quant::Requant& rq);

// Recurrent layer: every step's gate accumulators [T][batch][4H] and the hidden states [T][batch][H],
// each step's [x_t, h_{t-1}] passed through the mapping's hardware_input.
struct GoldenRecurrent {
  TensorI32 acc;
  TensorI8 h;
};
GoldenRecurrent golden_recurrent(const Layer& l, const LayerOperands& ops, const LayerMapping& mapping);

// [x, h] rows of one step (the gate GEMM's activation matrix) and back.
TensorI8 concat_rows(const TensorI8& x, const TensorI8& h);
void split_rows(const TensorI8& a, TensorI8& x, TensorI8& h);

}  // namespace npusim
