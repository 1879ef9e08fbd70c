#pragma once
// Re-quantizes a TFLite model to symmetric int8 activations (zero point 0, so code 0 is the real zero),
// as designs that prune activations by magnitude (S2TA's DAP) need. Works on the in-memory model; the
// result is a valid TFLite model with the same real-valued function up to rounding.
//
// Rules
//  * Activations: int8, per-tensor quantized, non-constant tensors read or written by an operator. The
//    integer LSTM's output state (a variable, input 18) is an activation too (see LSTM below).
//  * Tied tensors: TFLite kernels that copy codes need input == output quantization. Tied tensors form
//    equivalence classes; each class gets one scale covering the union of its members' real ranges:
//      scale' = max(|s (-128 - zp)|, |s (127 - zp)|) / 127 over the members, zero point 0.
//    A class whose members already share zero point 0 and one scale is already symmetric: left as is.
//  * A class is kept (left as it is, listed in the report when asymmetric) if a member has a
//    quantization TFLite fixes (SOFTMAX/LOGISTIC output 1/256 zp -128, TANH output 1/128 zp 0) or is not
//    an activation (constant, per-channel, other types).
//  * Biases (int32, scale s_in s_w) of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and the LSTM's gates:
//    when s_in changes, per channel scale' = s_in' s_w and code' = round(code s_b / scale') (half away
//    from zero, saturating). Weights are untouched (already symmetric).
// Per op
//  * CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, SUB, MUL, MEAN, RELU, RELU6, QUANTIZE (int8 out),
//    DEQUANTIZE (int8 in): the kernels rescale between input and output, so each tensor is independent.
//    Fused and standalone ReLU clamp at the output's zero point, i.e. real 0: unchanged function.
//  * AVERAGE_POOL_2D, MAX_POOL_2D, PAD, RESHAPE, SQUEEZE, STRIDED_SLICE: input 0 tied to the output
//    (codes are copied or averaged without rescaling). PAD pads with the zero point, real 0 either way.
//  * CONCATENATION: all inputs tied to the output (the converter ties them; TFLite Micro requires it).
//  * SOFTMAX, LOGISTIC, TANH: input independent, output kept.
//  * UNIDIRECTIONAL_SEQUENCE_LSTM: input 0 independent; its zero point enters the kernel only through
//    the effective gate biases TFLite computes at Prepare, so re-quantizing the gate biases (inputs
//    12..15, weights 1..4) keeps it exact. With layer norm (inputs 20..23) the gate biases are added
//    after the norm with a scale of their own: left as they are. The output, the output state (input 18: the
//    kernel copies the state into the output) and, without projection, the hidden intermediate (intermediate
//    4: the kernel writes the new state with its scale and zero point) are tied and made symmetric. A
//    variable resets to its zero point, i.e. the real zero, before and after. The int16 cell state and the
//    gate intermediates do not depend on activation quantization.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

struct SymmetricReport {
  int tensors_changed = 0;        // tensors whose quantization changed
  int biases_requantized = 0;     // bias tensors whose codes and scales were recomputed
  std::vector<std::string> kept;  // "tensor N 'name': why", one per tensor left asymmetric
};

// The model with every activation class re-quantized to zero point 0 by the rules above; `report` (may
// be null) says what changed and what was kept. InputError on a bias that is not constant int32 or
// whose scales do not match its weights', or one bias shared by inputs that get different scales.
TfliteModel symmetric_activations(const TfliteModel& m, SymmetricReport* report);

// Codes moved between quantizations (the network input, or outputs to compare):
// q' = clamp(round((q - zp) s / s2) + zp2, -128, 127), rounding half away from zero.
std::vector<int8_t> requantize_codes(const std::vector<int8_t>& q, double s, int32_t zp, double s2,
                                     int32_t zp2);

}  // namespace npusim
