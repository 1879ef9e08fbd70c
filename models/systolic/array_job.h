#pragma once
// A GEMM-shaped layer job for an accelerator backend, and what comes back.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/common/tensor.h"
#include "models/systolic/im2col_plan.h"
#include "models/systolic/gemm_lowering.h"
#include "sim/quant/requant.h"
#include "sim/stats/layer_stats.h"

namespace npusim {

struct ArrayJob {
  std::vector<mapping::Gemm> groups;  // one GEMM per group; group g writes output channels [g*N, (g+1)*N)
  // Reduction layout: K of every GEMM is a multiple of `block` (B of the tensor PE, 1 for the SA).
  // At most `nnz` non-zero weights per block and column (DBB; nnz = block when dense).
  int block = 1;
  int nnz = 1;
  // Hardware IM2COL: K runs (r, channel block, s) with channels padded to `channels_padded` per kernel
  // position; `window` describes the convolution whose input rows the unit expands.
  bool hw_im2col = false;
  std::optional<mapping::ConvWindow> window;
  int64_t channels = 0;          // input channels per group (as stored in the activation SRAM)
  int64_t channels_padded = 0;  // ... padded to a multiple of block
  TensorI8 input;                // raw input [batch][H][W][groups * channels] the unit loads from
  int8_t pad_value = 0;          // value of padding pixels (the input zero point)
  // Real (non-padding) activation bytes per row in each K block (empty: every block is full). Padding
  // is a constant the feeder inserts; the activation SRAM and DRAM never hold it.
  std::vector<int32_t> block_real;
  // The weights are already in the weight buffer (a recurrent layer's later time steps): no DRAM fetch.
  bool weights_resident = false;
  // Dynamic activation pruning (S2TA): the DAP unit keeps a_nnz of every activation block at run time.
  bool dap = false;
  int a_nnz = 0;
  std::vector<int32_t> bias;          // [total channels] bias with the input zero point folded in
  quant::Requant requant;             // per output channel
};

struct ArrayJobResult {
  TensorI32 acc;  // [M][channels] accumulators incl. bias, before requantization
  TensorI8 out;   // [M][channels] requantized outputs as written to DRAM
  LayerStats stats;
};

}  // namespace npusim
