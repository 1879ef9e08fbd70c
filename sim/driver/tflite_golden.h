#pragma once
// Golden evaluation of real INT8 .tflite models with TFLite's builtin REFERENCE-kernel semantics
// (tflite/kernels/register_ref.cc), built from the sim/quant golden ops. Integer parameters are
// derived from the model's float32 scales exactly as each kernel's Prepare does. Only conv, depthwise
// and fully-connected requantization follows `rounding` (TFLite's default build is Rounding::Double,
// TFLITE_SINGLE_ROUNDING=1 is Rounding::Single); every other op keeps TFLite's default arithmetic.
// Which TFLite version each kernel follows is stated in its sim/quant header (docs: reduce.h for MEAN,
// softmax.h for SOFTMAX, activations.h for LOGISTIC / TANH).
#include <vector>

#include "sim/common/tensor_value.h"
#include "sim/quant/fixed_point.h"
#include "sim/quant/requant.h"
#include "sim/quant/tflm_lstm.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

// Which of TFLite's kernel registrations to follow where their int8 arithmetic differs:
//  - Reference: register_ref.cc (BuiltinRefOpResolver), the default of the functions below.
//  - Builtin: the default BuiltinOpResolver's optimized kernels on a build without NEON and without
//    TFLITE_SOFTMAX_USE_UINT16_LUT (x86, wasm): SOFTMAX is the float-table kernel, MEAN of a 4-D
//    input over H and W with keep_dims is optimized_integer_ops::Mean, QUANTIZE from float divides
//    by the scale in double. Every other supported op computes the same integers in both.
enum class TfliteKernels { Reference, Builtin };

// Golden evaluation of one operator of a real model with TFLite's reference-kernel semantics.
// `inputs[k]` is the value of op.inputs[k]. An entry that holds no elements of any type (or is
// missing because `inputs` is shorter) is taken from the model: a constant tensor's data, or "absent"
// for an optional input (-1). Quantization always comes from the model's tensors (float32 scales),
// not from the TensorValues. Returns the value of op.outputs[0] with the output tensor's quantization.
// InputError "model.tflite: operator 7 (MEAN): ..." for any unsupported type or option combination.
TensorValue eval_tflite_op(const TfliteModel& m, const TfliteOperator& op,
                           const std::vector<TensorValue>& inputs, quant::Rounding rounding);
// `lstm`: the integer LSTM's element-wise arithmetic (TFLM's by default; docs/tflm_lstm.md).
TensorValue eval_tflite_op(const TfliteModel& m, const TfliteOperator& op,
                           const std::vector<TensorValue>& inputs, quant::Rounding rounding,
                           TfliteKernels kernels, quant::LstmReference lstm = quant::LstmReference::Tflm);

// Runs the whole model: every tensor's value by tensor index (constants included as loaded; tensors
// no operator writes and that are neither inputs nor constants stay empty). `model_inputs[i]` is the
// value of m.inputs[i] and must have its type and shape. Each operator's output shape is checked
// against the model's.
std::vector<TensorValue> eval_tflite_model(const TfliteModel& m, const std::vector<TensorValue>& model_inputs,
                                           quant::Rounding rounding);
std::vector<TensorValue> eval_tflite_model(const TfliteModel& m, const std::vector<TensorValue>& model_inputs,
                                           quant::Rounding rounding, TfliteKernels kernels,
                                           quant::LstmReference lstm = quant::LstmReference::Tflm);

// The output requantization of a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED operator (per channel or per
// tensor, fused activation clamp) as `kernels` compute it: what the accelerator's requantization must do.
quant::Requant tflite_gemm_requant(const TfliteModel& m, const TfliteOperator& op, quant::Rounding rounding,
                                   TfliteKernels kernels);

// The value of a tensor that holds data in the model (its per-tensor quantization attached).
// InputError if it holds none.
TensorValue tflite_constant(const TfliteModel& m, int tensor_index);

// UNIDIRECTIONAL_SEQUENCE_LSTM, implemented by branch tflm-lstm (sim/driver/tflite_lstm.h declares it
// there); until that merge a weak stub that throws InputError links (sim/driver/tflite_lstm_stub.cpp,
// to be deleted on the merge, with this declaration if tflite_lstm.h keeps the same signature).
TensorValue eval_tflite_lstm(const TfliteModel& m, const TfliteOperator& op, const TensorValue& input);

}  // namespace npusim
