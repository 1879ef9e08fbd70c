#pragma once
// How a job maps onto an sa_array: fold tiles (TPE rows*A by TPE columns*C output tiles in OS), K in
// B-blocks, and `passes` slices per block (ceil(nnz / P) on sparse PEs: 1 for STA-DBB at full rate,
// NNZ for VDBB's time-unrolled lanes). Shared by the cycle engine and the closed form.
#include <cstdint>

#include "models/systolic/dap_unit_core.h"
#include "models/systolic/im2col_unit_core.h"
#include "models/systolic/sa_pins.h"
#include "models/systolic/systolic_config.h"
#include "models/systolic/array_job.h"
#include "models/systolic/fold_plan.h"

namespace npusim::systolic {

struct SaGeometry {
  SaShape shape;
  int block = 1;     // B: K elements per slice
  int nnz = 1;       // non-zero weights per block and column
  int passes = 1;    // weight passes per block (ceil(nnz / P) on sparse PEs)
  int a_nnz = 1;     // S2TA: kept activations per block, one slice each (per weight pass)
  int idx_bits = 0;  // DBB index bits per stored weight (0 when dense)
  // S2TA with as many weight slots as the block (dense weight storage): slot b holds weight b, so
  // the index is implicit (not stored).
  bool identity_slots = false;
  mapping::FoldPlanParams plan;
  // Hardware IM2COL (conv layers): activation SRAM reads are row-buffer loads.
  const mapping::ConvWindow* window = nullptr;
  int64_t channel_blocks = 1;  // per kernel position
  int64_t channels = 1;        // real input channels (padding channels are not stored)

  bool ws() const { return shape.dataflow == 1; }
  // Input slices a fold occupies.
  int64_t slices(const mapping::Fold& f) const { return ws() ? f.m_len : f.k_len * passes * a_nnz; }
  // Slices per block sharing one weight read (S2TA holds a block's weight slots for its a_nnz slices).
  int64_t slices_per_weight_read() const { return shape.asparse ? a_nnz : 1; }
  int64_t tpe_rows(int64_t m_len) const { return (m_len + shape.a - 1) / shape.a; }
  int64_t tpe_cols(int64_t n_len) const { return (n_len + shape.c - 1) / shape.c; }
  // Weight bits read from SRAM per active weight column per slice (values + indices).
  int64_t wgt_bits_per_col_slice() const { return int64_t{shape.p} * (8 + idx_bits); }
  // Software im2col: activation bytes read from SRAM for block kb of a fold (held across its passes):
  // the real channels only (padding is inserted at the array edge, not stored).
  const std::vector<int32_t>* block_real = nullptr;
  int64_t act_read_bytes(int64_t m_len, int64_t kb) const {
    return m_len * (block_real && !block_real->empty() ? (*block_real)[static_cast<size_t>(kb)] : block);
  }
  // Hardware IM2COL: the fold's bank loads, and what one load reads from SRAM and how long it takes.
  std::vector<mapping::Im2colGroup> im2col_groups(const mapping::Fold& f, bool with_addr) const;
  int64_t load_bytes(const mapping::Im2colGroup& g) const;
  int64_t load_cycles(const mapping::Im2colGroup& g) const;
  Im2colShape unit;  // the IM2COL unit's parameters (lanes = activation rows, LW = lanes)
};

// The IM2COL unit of an arch config: one lane and one load block per activation row, B channels per
// slot, im2col_slots slots per bank.
Im2colShape im2col_unit_shape(const ArchConfig& arch);
// The DAP unit of an S2TA arch config: one lane per activation row, blocks of sparsity.activations.block.
DapShape dap_unit_shape(const ArchConfig& arch);

// The array an arch config describes: tpe {a,b,c}; weights dense (P = B), dbb (P = nnz multipliers per
// dot product behind B:1 muxes) or vdbb (P = 1, time-unrolled).
SaShape sa_shape(const ArchConfig& arch);
SaGeometry sa_geometry(const ArchConfig& arch, const SaShape& shape, const ArrayJob& job);

}  // namespace npusim::systolic
