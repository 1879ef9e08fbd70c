#pragma once
// A model's UNIDIRECTIONAL_SEQUENCE_LSTM operator evaluated with TFLM's integer kernel
// (sim/quant/tflm_lstm.h, docs/tflm_lstm.md): parameters from the model's tensors, state reset the
// way the interpreters reset variable tensors (h = its zero point, c = 0).
#include "sim/common/tensor_value.h"
#include "sim/quant/tflm_lstm.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

// The operator's integer parameters, weights and batch size as TFLM's Prepare derives them. Throws
// InputError naming the operator index for anything the kernel does not support: CIFG (no input
// gate), peephole, projection or layer-norm tensors, a cell activation other than tanh, weights that
// are not constant per-tensor symmetric int8, biases that are not constant int32, states that are not
// int8 / int16 variables, or inconsistent shapes.
struct TfliteLstmSetup {
  quant::TflmLstmParams params;
  quant::TflmLstmWeights weights;
  int64_t batch = 0, steps = 0;
  bool time_major = false;
};
TfliteLstmSetup prepare_tflite_lstm(const TfliteModel& m, const TfliteOperator& op,
                                    quant::LstmReference reference = quant::LstmReference::Tflm);

// Runs the operator on `input` (int8, the operator's input shape) from the reset state with TFLM's
// kernel and returns its output tensor (int8, [batch][T][H] or [T][batch][H] as the model's output,
// with the output tensor's quantization).
TensorValue eval_tflite_lstm(const TfliteModel& m, const TfliteOperator& op, const TensorValue& input);

// The same with the element-wise arithmetic of `reference` (Tflite: TFLite's integer LSTM).
TensorValue eval_tflite_lstm_as(const TfliteModel& m, const TfliteOperator& op, const TensorValue& input,
                                quant::LstmReference reference);

}  // namespace npusim
