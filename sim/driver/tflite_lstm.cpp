#include "sim/driver/tflite_lstm.h"

#include <cstring>
#include <string>
#include <vector>

#include "sim/common/error.h"

namespace npusim {
namespace {

// TFLite's input order of the LSTM operator (lstm_shared.h).
constexpr int kInput = 0;
constexpr int kInputWeights = 1;      // 1-4: input-to-{input, forget, cell, output}
constexpr int kRecurrentWeights = 5;  // 5-8
constexpr int kPeepholes = 9;         // 9-11
constexpr int kBiases = 12;           // 12-15
constexpr int kProjection = 16;       // 16-17
constexpr int kOutputState = 18;
constexpr int kCellState = 19;
constexpr int kLayerNorm = 20;  // 20-23
constexpr int kGates = quant::kLstmGates;
const char* const kGateNames[kGates] = {"input", "forget", "cell", "output"};

struct OpContext {
  const TfliteModel& m;
  const TfliteOperator& op;

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(m.path + ": operator " + std::to_string(op.index) + " (" + op.op + "): " + what);
  }
  // The tensor at input slot `slot`, or nullptr when the slot is absent (-1 or past the end).
  const TfliteTensor* input(int slot) const {
    if (slot >= static_cast<int>(op.inputs.size()) || op.inputs[slot] < 0) return nullptr;
    return &m.tensors.at(static_cast<size_t>(op.inputs[slot]));
  }
  const TfliteTensor& required(int slot, const std::string& what) const {
    const TfliteTensor* t = input(slot);
    if (!t) fail(what + " (input " + std::to_string(slot) + ") is missing");
    return *t;
  }
  float scale(const TfliteTensor& t, const std::string& what) const {
    if (t.quant.scales.size() != 1) {
      fail(what + " '" + t.name + "' must have one (per-tensor) scale, has " +
           std::to_string(t.quant.scales.size()));
    }
    return t.quant.scales[0];
  }
  int32_t zero_point(const TfliteTensor& t) const {
    return t.quant.zero_points.empty() ? 0 : static_cast<int32_t>(t.quant.zero_points[0]);
  }
};

void append_int8_rows(const OpContext& ctx, const TfliteTensor& t, int64_t rows, int64_t cols,
                      const std::string& what, std::vector<int8_t>& out) {
  if (t.type != TfliteType::Int8 || !t.has_data()) ctx.fail(what + " '" + t.name + "' must be constant int8");
  if (t.shape != std::vector<int32_t>{static_cast<int32_t>(rows), static_cast<int32_t>(cols)} ||
      t.data.size() != static_cast<size_t>(rows * cols)) {
    ctx.fail(what + " '" + t.name + "' is not [" + std::to_string(rows) + "][" + std::to_string(cols) + "]");
  }
  if (ctx.zero_point(t) != 0) ctx.fail(what + " '" + t.name + "' has a non-zero zero point");
  for (uint8_t b : t.data) out.push_back(static_cast<int8_t>(b));
}

}  // namespace

TfliteLstmSetup prepare_tflite_lstm(const TfliteModel& m, const TfliteOperator& op,
                                    quant::LstmReference reference) {
  const OpContext ctx{m, op};
  if (op.op != "UNIDIRECTIONAL_SEQUENCE_LSTM") ctx.fail("is not UNIDIRECTIONAL_SEQUENCE_LSTM");
  if (op.inputs.size() != 20 && op.inputs.size() != 24) {
    ctx.fail("has " + std::to_string(op.inputs.size()) + " inputs, not 20 or 24");
  }
  if (op.outputs.size() != 1) ctx.fail("has " + std::to_string(op.outputs.size()) + " outputs, not 1");
  if (!ctx.input(kInputWeights) || !ctx.input(kRecurrentWeights) || !ctx.input(kBiases)) {
    ctx.fail("CIFG (no input gate) is not supported");
  }
  for (int s = kPeepholes; s < kPeepholes + 3; ++s) {
    if (ctx.input(s)) ctx.fail("peephole weights are not supported");
  }
  for (int s = kProjection; s < kProjection + 2; ++s) {
    if (ctx.input(s)) ctx.fail("projection is not supported");
  }
  for (int s = kLayerNorm; s < kLayerNorm + 4; ++s) {
    if (ctx.input(s)) ctx.fail("layer normalization is not supported");
  }
  if (op.options.activation != TfliteActivation::Tanh) {
    ctx.fail(std::string("cell activation ") + tflite_activation_name(op.options.activation) +
             " is not tanh");
  }

  const TfliteTensor& in = ctx.required(kInput, "input");
  if (in.type != TfliteType::Int8)
    ctx.fail("input '" + in.name + "' is " + tflite_type_name(in.type) + ", not int8");
  if (in.shape.size() != 3) ctx.fail("input '" + in.name + "' is not 3-D");
  const TfliteTensor& w_if = ctx.required(kInputWeights + 1, "input-to-forget weights");
  if (w_if.shape.size() != 2) ctx.fail("input-to-forget weights '" + w_if.name + "' are not 2-D");
  const int64_t H = w_if.shape[0], I = in.shape[2];

  TfliteLstmSetup setup;
  setup.time_major = op.options.time_major;
  setup.steps = setup.time_major ? in.shape[0] : in.shape[1];
  setup.batch = setup.time_major ? in.shape[1] : in.shape[0];

  quant::TflmLstmScales s;
  s.input_scale = ctx.scale(in, "input");
  s.input_zero_point = ctx.zero_point(in);
  quant::TflmLstmWeights& w = setup.weights;
  w.input_weights = TensorI8({kGates * H, I});
  w.recurrent_weights = TensorI8({kGates * H, H});
  w.input_weights.data.clear();
  w.recurrent_weights.data.clear();
  w.bias.clear();
  for (int g = 0; g < kGates; ++g) {
    const std::string gate = kGateNames[g];
    const TfliteTensor& wx = ctx.required(kInputWeights + g, "input-to-" + gate + " weights");
    const TfliteTensor& wh = ctx.required(kRecurrentWeights + g, "recurrent-to-" + gate + " weights");
    const TfliteTensor& b = ctx.required(kBiases + g, gate + " gate bias");
    append_int8_rows(ctx, wx, H, I, "input-to-" + gate + " weights", w.input_weights.data);
    append_int8_rows(ctx, wh, H, H, "recurrent-to-" + gate + " weights", w.recurrent_weights.data);
    s.input_weight_scales[g] = ctx.scale(wx, "input-to-" + gate + " weights");
    s.recurrent_weight_scales[g] = ctx.scale(wh, "recurrent-to-" + gate + " weights");
    if (b.type != TfliteType::Int32 || !b.has_data() ||
        b.shape != std::vector<int32_t>{static_cast<int32_t>(H)} ||
        b.data.size() != static_cast<size_t>(4 * H)) {
      ctx.fail(gate + " gate bias '" + b.name + "' must be constant int32 [" + std::to_string(H) + "]");
    }
    for (int32_t v : b.values<int32_t>()) w.bias.push_back(v);
  }

  const TfliteTensor& hs = ctx.required(kOutputState, "output state");
  const TfliteTensor& cs = ctx.required(kCellState, "cell state");
  if (hs.type != TfliteType::Int8 || !hs.is_variable)
    ctx.fail("output state '" + hs.name + "' must be an int8 variable");
  if (cs.type != TfliteType::Int16 || !cs.is_variable)
    ctx.fail("cell state '" + cs.name + "' must be an int16 variable");
  if (hs.elements() != setup.batch * H || cs.elements() != setup.batch * H) {
    ctx.fail("state tensors do not hold batch " + std::to_string(setup.batch) + " x " + std::to_string(H) +
             " values");
  }
  s.output_state_scale = ctx.scale(hs, "output state");
  s.output_state_zero_point = ctx.zero_point(hs);
  s.cell_state_scale = ctx.scale(cs, "cell state");
  s.cell_clip = op.options.cell_clip;
  try {
    setup.params = quant::make_tflm_lstm_params(I, H, s, reference);
  } catch (const InputError& e) {
    ctx.fail(e.what());
  }
  return setup;
}

TensorValue eval_tflite_lstm(const TfliteModel& m, const TfliteOperator& op, const TensorValue& input) {
  return eval_tflite_lstm_as(m, op, input, quant::LstmReference::Tflm);
}

TensorValue eval_tflite_lstm_as(const TfliteModel& m, const TfliteOperator& op, const TensorValue& input,
                                quant::LstmReference reference) {
  const OpContext ctx{m, op};
  const TfliteLstmSetup setup = prepare_tflite_lstm(m, op, reference);
  const TfliteTensor& in = m.tensors.at(static_cast<size_t>(op.inputs[kInput]));
  const std::vector<int64_t> in_shape(in.shape.begin(), in.shape.end());
  if (input.type != DType::Int8 || input.shape != in_shape ||
      input.i8.size() != static_cast<size_t>(input.elements())) {
    ctx.fail(std::string("input value is ") + dtype_name(input.type) +
             " of another shape than the input tensor '" + in.name + "'");
  }
  TensorI8 x;
  x.shape = input.shape;
  x.data = input.i8;
  quant::TflmLstmState state = quant::tflm_lstm_initial_state(setup.batch, setup.params);
  const quant::TflmLstmRun run =
      quant::tflm_lstm_sequence(x, setup.time_major, setup.weights, setup.params, state);

  const TfliteTensor& out = m.tensors.at(static_cast<size_t>(op.outputs[0]));
  if (out.type != TfliteType::Int8 || out.elements() != run.output.size()) {
    ctx.fail("output '" + out.name + "' is not int8 with " + std::to_string(run.output.size()) + " values");
  }
  return TensorValue::of_i8(run.output, out.quant.scales.empty() ? 0.0 : out.quant.scales[0],
                            ctx.zero_point(out));
}

}  // namespace npusim
