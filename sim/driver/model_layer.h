#pragma once
// Operands of an array layer of a real model (.tflite): the model's weights (in the executor's layout),
// bias and quantization, with TFLite's Prepare arithmetic for the requantization (effective scale
// input * weight / output in double from the stored float32 scales, one per output channel) and the
// fused-activation clamp (CalculateActivationRangeQuantized), from sim/driver/tflite_golden.h.
#include <cstdint>
#include <utility>

#include "sim/driver/layer_operands.h"
#include "sim/quant/tflm_lstm.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

// The model's weights in the executor's layout: conv OHWI [K][R][S][C], depthwise [K][R][S][1] (from
// TFLite's [1][R][S][K]), fc [K][C].
TensorI8 model_weights(const TfliteModel& m, const TfliteOperator& op, const Layer& l);

// prepare_layer for a model layer: weights and bias from the model, the requantization `rq`
// (tflite_gemm_requant); `x` is the input in the model's quantization. The family's prepare_weights
// (e.g. DBB pruning) is applied; *weights_changed counts the weights it changed.
PreparedLayer prepare_model_layer(const Layer& l, const TfliteModel& m, const LayerMapping& mapping,
                                  const QTensor& x, const quant::Requant& rq, int64_t* weights_changed);

// The same for a model's UNIDIRECTIONAL_SEQUENCE_LSTM: TFLM's kernel with split gates (W_x and W_h, each
// through prepare_weights), golden from golden_recurrent.
PreparedLayer prepare_model_recurrent(const Layer& l, const TfliteModel& m, const LayerMapping& mapping,
                                      const QTensor& x, quant::LstmReference reference,
                                      int64_t* weights_changed);

// The cell of a model's LSTM (for --fast runs, which prepare no operands).
std::shared_ptr<const RecurrentCell> model_cell(const Layer& l, const TfliteModel& m,
                                                quant::LstmReference reference);

}  // namespace npusim
