#pragma once
// What `npusim inspect` shows of a TFLite model: per operator its shapes, quantization, fused
// activation, MACs and the unit that would run it.
#include <cstdint>
#include <ostream>

#include "sim/workload/layer.h"

namespace npusim {

// `net` from network_from_tflite: per operator (= layer) its name, the unit that runs it (Layer::unit),
// MACs, fused activation, options, and every operand's shape and quantization.
void print_tflite_inspect(const Network& net, std::ostream& os);

}  // namespace npusim
