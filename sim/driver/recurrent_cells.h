#pragma once
// The executor's recurrent cells (sim/family/recurrent_cell.h): the self-defined integer LSTM and GRU of
// layer tables (docs/recurrent_golden.md; one stacked accumulator per gate row) and TFLM's integer LSTM
// of real models (docs/tflm_lstm.md; input and recurrent products apart).
#include <cstdint>
#include <memory>

#include "sim/family/recurrent_cell.h"
#include "sim/quant/recurrent.h"
#include "sim/quant/tflm_lstm.h"
#include "sim/workload/layer.h"

namespace npusim {

// Self-defined LSTM or GRU (by l.op) of a layer table, from its float scales.
std::shared_ptr<const RecurrentCell> make_table_cell(const Layer& l, const quant::RecurrentScales& scales);

// TFLM's integer LSTM (split gates) of a real model's operator.
std::shared_ptr<const RecurrentCell> make_tflm_cell(const quant::TflmLstmParams& p, int64_t batch);

}  // namespace npusim
