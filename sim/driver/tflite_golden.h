#pragma once
// INTERIM (not committed): replaced by the tflite-ops branch.
#include <vector>
#include "sim/common/tensor_value.h"
#include "sim/workload/tflite/tflite_reader.h"
namespace npusim {
namespace quant { enum class Rounding { Double, Single }; }
TensorValue eval_tflite_op(const TfliteModel& m, const TfliteOperator& op, const std::vector<TensorValue>& inputs,
                           quant::Rounding rounding);
std::vector<TensorValue> eval_tflite_model(const TfliteModel& m, const std::vector<TensorValue>& model_inputs,
                                           quant::Rounding rounding);
}
