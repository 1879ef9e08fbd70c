#pragma once
// What `npusim inspect` shows of a TFLite model: per operator its shapes, quantization, fused
// activation, MACs and the unit that would run it.
#include <cstdint>
#include <ostream>

#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

// "array" (conv, depthwise, fully connected), "vector" (pools, add, mean) or "host" (everything else).
const char* tflite_unit(const TfliteOperator& op);
// Multiply-accumulates of a conv/depthwise/fc operator from its output and weight shapes; 0 for others.
// InputError naming the operator when its weights do not have the rank the op needs.
int64_t tflite_macs(const TfliteModel& m, const TfliteOperator& op);
void print_tflite_inspect(const TfliteModel& m, std::ostream& os);

}  // namespace npusim
