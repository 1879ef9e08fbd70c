#include "sim/driver/model_layer.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "sim/common/error.h"
#include "sim/driver/golden.h"
#include "sim/driver/recurrent_cells.h"
#include "sim/driver/tflite_lstm.h"

namespace npusim {

namespace {

const TfliteTensor& tensor(const TfliteModel& m, int index) {
  return m.tensors.at(static_cast<size_t>(index));
}

}  // namespace

TensorI8 model_weights(const TfliteModel& m, const TfliteOperator& op, const Layer& l) {
  const TfliteTensor& w = tensor(m, op.inputs.at(1));
  TensorI8 t(layer_weight_shape(l));
  const std::vector<int8_t> raw = w.values<int8_t>();
  if (static_cast<int64_t>(raw.size()) != t.size())
    throw InputError(m.path + ": weights '" + w.name + "' have " + std::to_string(raw.size()) +
                     " values, expected " + std::to_string(t.size()));
  if (l.op != OpType::DwConv) {
    t.data = raw;
    return t;
  }
  // [1][R][S][K] -> [K][R][S][1]
  const int64_t RS = l.R * l.S;
  for (int64_t rs = 0; rs < RS; ++rs)
    for (int64_t k = 0; k < l.K; ++k) t[k * RS + rs] = raw[static_cast<size_t>(rs * l.K + k)];
  return t;
}

PreparedLayer prepare_model_layer(const Layer& l, const TfliteModel& m, const LayerMapping& mapping,
                                  const QTensor& x, const quant::Requant& rq, int64_t* weights_changed) {
  const TfliteOperator& op = m.operators.at(static_cast<size_t>(l.model_op));
  PreparedLayer p;
  LayerOperands& ops = p.ops;
  ops.layer = &l;
  ops.input = x.t;
  ops.weights = model_weights(m, op, l);
  if (op.inputs.size() > 2 && op.inputs[2] >= 0)
    ops.bias = tensor(m, op.inputs[2]).values<int32_t>();
  else
    ops.bias.assign(static_cast<size_t>(l.K), 0);
  const TensorI8 original = ops.weights;
  mapping.prepare_weights(ops.weights);
  int64_t changed = 0;
  for (int64_t i = 0; i < original.size(); ++i) changed += original[i] != ops.weights[i];
  *weights_changed = changed;
  ops.input_zero_point = x.zero_point;
  ops.requant = rq;
  p.golden_acc = golden_acc(l, mapping.transforms_input() ? mapping.hardware_input(x.t) : x.t, ops.weights,
                            ops.bias, x.zero_point);
  p.golden_out.t = requantize_all(p.golden_acc, ops.requant);
  const TfliteTensor& y = tensor(m, op.outputs.at(0));
  p.golden_out.scale = y.quant.scales.at(0);
  p.golden_out.zero_point = static_cast<int32_t>(y.quant.zero_points.at(0));
  p.golden_out.t.shape = layer_output_shape(l);
  return p;
}

std::shared_ptr<const RecurrentCell> model_cell(const Layer& l, const TfliteModel& m,
                                                quant::LstmReference reference) {
  const TfliteLstmSetup s =
      prepare_tflite_lstm(m, m.operators.at(static_cast<size_t>(l.model_op)), reference);
  return make_tflm_cell(s.params, s.batch);
}

PreparedLayer prepare_model_recurrent(const Layer& l, const TfliteModel& m, const LayerMapping& mapping,
                                      const QTensor& x, quant::LstmReference reference,
                                      int64_t* weights_changed) {
  const TfliteOperator& op = m.operators.at(static_cast<size_t>(l.model_op));
  const TfliteLstmSetup s = prepare_tflite_lstm(m, op, reference);
  PreparedLayer p;
  LayerOperands& ops = p.ops;
  ops.layer = &l;
  ops.input = x.t;
  ops.input.shape = layer_input_shape(l);
  ops.weights = s.weights.input_weights;
  ops.recurrent_weights = s.weights.recurrent_weights;
  ops.bias = s.weights.bias;
  ops.scales.input_scale = x.scale;
  ops.scales.input_zero_point = s.params.input_zero_point;
  ops.scales.hidden_zero_point = s.params.output_state_zero_point;
  ops.cell = make_tflm_cell(s.params, s.batch);
  int64_t changed = 0;
  for (TensorI8* w : {&ops.weights, &ops.recurrent_weights}) {
    const TensorI8 original = *w;
    mapping.prepare_weights(*w);
    for (int64_t i = 0; i < original.size(); ++i) changed += original[i] != (*w)[i];
  }
  *weights_changed = changed;
  GoldenRecurrent g = golden_recurrent(l, ops, mapping);
  p.golden_acc = std::move(g.acc);
  p.golden_out.t = std::move(g.h);
  const TfliteTensor& y = tensor(m, op.outputs.at(0));
  p.golden_out.scale = y.quant.scales.at(0);
  p.golden_out.zero_point = static_cast<int32_t>(y.quant.zero_points.at(0));
  p.golden_out.t.shape = layer_output_shape(l);
  return p;
}

}  // namespace npusim
