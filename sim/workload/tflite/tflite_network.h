#pragma once
// A read .tflite model as the workload graph (DESIGN.md §4): one Layer per operator, in execution order,
// named after its output tensor, with conv-style geometry for the array ops (conv, depthwise, fc, pools,
// the LSTM) and the model's own tensor shapes for the rest. Layer::inputs name the producing layers
// (constants are not layers; the model's input tensor is kNetworkInput). The model itself rides along in
// Network::model: weights, biases and quantization come from it when the network runs.
#include <memory>
#include <string>

#include "sim/workload/layer.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

// InputError ("model.tflite: operator 7 (CONV_2D): ...") for what the executor cannot run: more than one
// graph input or output, an activation tensor that is not int8 (float32 only into QUANTIZE / out of
// DEQUANTIZE), per-axis dilation, asymmetric weights.
Network network_from_tflite(std::shared_ptr<const TfliteModel> model);

// read_tflite + network_from_tflite.
Network load_tflite_network(const std::string& path);

// "operator 7 (CONV_2D)"
std::string tflite_op_where(const TfliteOperator& op);

}  // namespace npusim
