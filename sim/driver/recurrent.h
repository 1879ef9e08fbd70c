#pragma once
// Recurrent layers (LSTM, GRU) on an array accelerator. Per time step the gate pre-activations are one
// GEMM job of [x_t, h_{t-1}] (batch rows) by the stacked 4H x (I + H) weight matrix, run on the array
// and checked bit-exactly against the golden gate GEMM; the element-wise gate math (sim/quant lstm/gru
// elementwise) runs on the vector unit with its own cycle cost and action counts. Step t + 1's GEMM
// needs h_t, so steps are strictly sequential: cycles = sum over steps of (GEMM + vector unit).
// Weights are DBB-pruned offline on DBB designs; on S2TA (DAP) designs [x_t, h_{t-1}] goes through the
// DAP unit (zero points 0) and the golden GEMM uses the pruned vector.
#include <cstdint>

#include "sim/config/arch_config.h"
#include "sim/driver/accelerator.h"
#include "sim/driver/driver.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

// Vector-unit lane operations per hidden unit and time step: LSTM 4 gate requantizations, 3 sigmoids,
// 2 tanh (LUT + interpolation), 3 cell multiplies/adds, 1 output requantization; GRU 4 requantizations,
// 2 sigmoids, 1 tanh, 4 multiplies/adds, 1 requantization.
constexpr int64_t kLstmOpsPerUnit = 13;
constexpr int64_t kGruOpsPerUnit = 12;

// `acc` null: --fast (closed-form GEMM cycles, golden values only).
LayerStats run_recurrent_layer(const ArchConfig& arch, Accelerator* acc, const Layer& layer,
                               const RunOptions& opts);

}  // namespace npusim
