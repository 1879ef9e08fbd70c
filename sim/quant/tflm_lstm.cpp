#include "sim/quant/tflm_lstm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/fixed_point.h"
#include "sim/quant/gemmlowp_int16.h"
#include "sim/quant/tflm_activation.h"

namespace npusim::quant {

const char* lstm_reference_name(LstmReference r) {
  switch (r) {
    case LstmReference::Tflm: return "TFLM integer LSTM 8x8->16";
    case LstmReference::Tflite: return "TFLite integer LSTM 8x8->16";
    case LstmReference::TfliteLegacy: return "TFLite integer LSTM 8x8->16 before the 2022 hidden zero-point fix";
  }
  return "?";
}

namespace {

constexpr int kCellGate = 2;
const char* const kGateNames[kLstmGates] = {"input", "forget", "cell", "output"};

int16_t sat16(int64_t v) {
  return static_cast<int16_t>(std::clamp<int64_t>(v, -32768, 32767));
}

void check_scale(float s, const std::string& what) {
  if (!(s > 0) || !std::isfinite(s)) {
    throw InputError("tflm lstm: " + what + " scale " + std::to_string(s) + " is not a positive number");
  }
}

// TFLite's CheckedLog2 in float: log2 rounded to the nearest integer, "exact" within 1e-3.
int checked_log2(float x, bool* exact) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *exact = std::abs(x_log2 - rounded) < 1e-3f;
  return static_cast<int>(rounded);
}

// Fully connected prepare (GetQuantizedConvolutionMultipler without bias): the float32 product of
// the two scales, then divided in double by the 2^-12 gate scale.
void gate_multiplier(float input_scale, float weight_scale, int32_t* multiplier, int* shift) {
  const double product = static_cast<double>(input_scale * weight_scale);
  quantize_multiplier(product / std::ldexp(1.0, -12), multiplier, shift);
}

void check_state(const TflmLstmState& st, int64_t batch, const TflmLstmParams& p) {
  const std::vector<int64_t> want = {batch, p.hidden_size};
  if (st.h.shape != want || st.c.shape != want || st.h.size() != batch * p.hidden_size ||
      st.c.size() != batch * p.hidden_size) {
    throw InputError("tflm lstm: state h " + shape_str(st.h.shape) + " and c " + shape_str(st.c.shape) +
                     " are not " + shape_str(want));
  }
}

void check_matrix(const TensorI8& m, int64_t rows, int64_t cols, const std::string& what) {
  if (m.shape != std::vector<int64_t>{rows, cols} || m.size() != rows * cols) {
    throw InputError("tflm lstm: " + what + " " + shape_str(m.shape) + " is not [" + std::to_string(rows) +
                     "][" + std::to_string(cols) + "]");
  }
}

void check_weights(const TflmLstmWeights& w, const TflmLstmParams& p) {
  const int64_t rows = kLstmGates * p.hidden_size;
  check_matrix(w.input_weights, rows, p.input_size, "input weights");
  check_matrix(w.recurrent_weights, rows, p.hidden_size, "recurrent weights");
  if (static_cast<int64_t>(w.bias.size()) != rows) {
    throw InputError("tflm lstm: bias has " + std::to_string(w.bias.size()) + " values, not " +
                     std::to_string(rows));
  }
}

// out[b][r] = bias[r] + sum_k W[r][k] (v[b][k] - zp), exact, then checked against int32.
void fully_connected(const TensorI8& v, int32_t zp, const TensorI8& weights, const std::vector<int32_t>* bias,
                     const std::string& what, TensorI32& out) {
  const int64_t batch = v.shape[0], depth = v.shape[1], rows = weights.shape[0];
  out = TensorI32({batch, rows});
  for (int64_t b = 0; b < batch; ++b) {
    const int8_t* vb = v.data.data() + b * depth;
    for (int64_t r = 0; r < rows; ++r) {
      const int8_t* wr = weights.data.data() + r * depth;
      int64_t acc = bias ? (*bias)[static_cast<size_t>(r)] : 0;
      for (int64_t k = 0; k < depth; ++k) acc += int64_t{wr[k]} * (int64_t{vb[k]} - zp);
      if (acc < std::numeric_limits<int32_t>::min() || acc > std::numeric_limits<int32_t>::max()) {
        throw InputError("tflm lstm: " + what + " accumulator " + std::to_string(acc) + " overflows int32");
      }
      out[b * rows + r] = static_cast<int32_t>(acc);
    }
  }
}

}  // namespace

TflmLstmParams make_tflm_lstm_params(int64_t input_size, int64_t hidden_size, const TflmLstmScales& s,
                                     LstmReference reference) {
  if (input_size < 1 || hidden_size < 1) {
    throw InputError("tflm lstm: sizes I " + std::to_string(input_size) + ", H " +
                     std::to_string(hidden_size) + " must be >= 1");
  }
  check_scale(s.input_scale, "input");
  check_scale(s.output_state_scale, "output state");
  check_scale(s.cell_state_scale, "cell state");
  for (int g = 0; g < kLstmGates; ++g) {
    check_scale(s.input_weight_scales[g], std::string("input-to-") + kGateNames[g] + " weight");
    check_scale(s.recurrent_weight_scales[g], std::string("recurrent-to-") + kGateNames[g] + " weight");
  }
  check_input_zero_point(s.input_zero_point, "tflm lstm input");
  check_input_zero_point(s.output_state_zero_point, "tflm lstm output state");
  if (!(s.cell_clip >= 0) || !std::isfinite(s.cell_clip)) {
    throw InputError("tflm lstm: cell_clip " + std::to_string(s.cell_clip) + " is not >= 0");
  }

  TflmLstmParams p;
  p.reference = reference;
  p.input_size = input_size;
  p.hidden_size = hidden_size;
  p.input_zero_point = s.input_zero_point;
  p.output_state_zero_point = s.output_state_zero_point;
  for (int g = 0; g < kLstmGates; ++g) {
    gate_multiplier(s.input_scale, s.input_weight_scales[g], &p.input_multiplier[g], &p.input_shift[g]);
    gate_multiplier(s.output_state_scale, s.recurrent_weight_scales[g], &p.recurrent_multiplier[g],
                    &p.recurrent_shift[g]);
  }

  bool exact = false;
  p.cell_state_scale_power = checked_log2(s.cell_state_scale, &exact);
  const double cell_scale = s.cell_state_scale;
  const double q15 = std::ldexp(1.0, -15);
  if (reference == LstmReference::Tflm) {
    // TFLM ignores CheckedLog2's verdict; the range keeps its tanh rescale inside int32.
    if (p.cell_state_scale_power < -30 || p.cell_state_scale_power > 0) {
      throw InputError("tflm lstm: cell state scale " + std::to_string(s.cell_state_scale) +
                       " is not about 2^p with p in [-30, 0]");
    }
    p.clip_cell = s.cell_clip > 0;
    p.quantized_cell_clip = static_cast<int16_t>(
        std::min(std::max(static_cast<double>(s.cell_clip) / cell_scale, -32768.0), 32767.0));
    quantize_multiplier(q15 * cell_scale / cell_scale, &p.forget_cell_multiplier, &p.forget_cell_shift);
    quantize_multiplier(q15 * q15 / cell_scale, &p.input_cell_multiplier, &p.input_cell_shift);
    quantize_multiplier(q15 * q15 / static_cast<double>(s.output_state_scale), &p.hidden_multiplier,
                        &p.hidden_shift);
  } else {
    // TFLite: the cell update shifts by 15 and 30 + p, and tanh(c) has 15 + p integer bits (<= 6).
    if (!exact || p.cell_state_scale_power < -15 || p.cell_state_scale_power > -9) {
      throw InputError("tflm lstm: cell state scale " + std::to_string(s.cell_state_scale) +
                       " is not 2^p with p in [-15, -9] (TFLite's integer LSTM)");
    }
    p.clip_cell = s.cell_clip > 0;
    p.quantized_cell_clip =
        p.clip_cell
            ? static_cast<int16_t>(std::min(std::max(s.cell_clip / s.cell_state_scale, -32768.0f), 32767.0f))
            : int16_t{0};
    if (p.quantized_cell_clip <= 0) p.clip_cell = false;  // TFLite clips only for a positive int16 clip
    // The hidden intermediate's scale (here the output state's): the double 2^-30 / s rounded to float.
    const float hidden = static_cast<float>(q15 / static_cast<double>(s.output_state_scale) * q15);
    quantize_multiplier(hidden, &p.hidden_multiplier, &p.hidden_shift);
  }
  return p;
}

TflmLstmState tflm_lstm_initial_state(int64_t batch, const TflmLstmParams& p) {
  return {TensorI8({batch, p.hidden_size}, static_cast<int8_t>(p.output_state_zero_point)),
          TensorI16({batch, p.hidden_size}, int16_t{0})};
}

TflmGateAccumulators tflm_lstm_gate_accumulators(const TensorI8& x, const TensorI8& h,
                                                 const TflmLstmWeights& w, const TflmLstmParams& p) {
  check_weights(w, p);
  if (x.shape.size() != 2 || x.shape[1] != p.input_size || x.size() != x.shape[0] * p.input_size) {
    throw InputError("tflm lstm: input " + shape_str(x.shape) + " is not [batch][" +
                     std::to_string(p.input_size) + "]");
  }
  const int64_t batch = x.shape[0];
  if (h.shape != std::vector<int64_t>{batch, p.hidden_size} || h.size() != batch * p.hidden_size) {
    throw InputError("tflm lstm: output state " + shape_str(h.shape) + " is not [" + std::to_string(batch) +
                     "][" + std::to_string(p.hidden_size) + "]");
  }
  TflmGateAccumulators acc;
  fully_connected(x, p.input_zero_point, w.input_weights, &w.bias, "input FC", acc.input);
  fully_connected(h, p.output_state_zero_point, w.recurrent_weights, nullptr, "recurrent FC", acc.recurrent);
  return acc;
}

int16_t tflm_fc_to_int16(int32_t acc, int32_t multiplier, int shift) {
  return sat16(multiply_by_quantized_multiplier(acc, multiplier, shift));
}

int16_t tflm_lstm_gate_input(int32_t acc_x, int32_t acc_h, int gate, const TflmLstmParams& p) {
  const size_t g = static_cast<size_t>(gate);
  const int16_t from_x = tflm_fc_to_int16(acc_x, p.input_multiplier[g], p.input_shift[g]);
  const int32_t from_h =
      multiply_by_quantized_multiplier(acc_h, p.recurrent_multiplier[g], p.recurrent_shift[g]);
  // TFLM clamps each FC to int16 before the saturating add; TFLite accumulates the recurrent FC
  // onto the (clamped) input FC and clamps once.
  if (p.reference == LstmReference::Tflm) return sat16(int32_t{from_x} + sat16(from_h));
  return sat16(int64_t{from_x} + from_h);
}

int16_t tflm_lstm_activation(int16_t pre, int gate, const TflmLstmParams& p) {
  if (p.reference == LstmReference::Tflm) {
    return gate == kCellGate ? tflm_tanh_pow2(pre, -12) : tflm_sigmoid_q312(pre);
  }
  return gate == kCellGate ? gemmlowp_tanh_int16(pre, 3) : gemmlowp_logistic_int16(pre, 3);
}

int16_t tflm_lstm_cell_update(int16_t c, int16_t i, int16_t f, int16_t g, const TflmLstmParams& p) {
  int16_t kept, added;
  if (p.reference == LstmReference::Tflm) {
    kept = sat16(
        multiply_by_quantized_multiplier(int32_t{f} * c, p.forget_cell_multiplier, p.forget_cell_shift));
    added =
        sat16(multiply_by_quantized_multiplier(int32_t{i} * g, p.input_cell_multiplier, p.input_cell_shift));
  } else {
    // Plain int16 casts as in TFLite's CwiseMul; the products fit (|f c| / 2^15 <= 32767).
    kept = static_cast<int16_t>(rounding_divide_by_pot(int32_t{f} * c, 15));
    added = static_cast<int16_t>(rounding_divide_by_pot(int32_t{i} * g, 30 + p.cell_state_scale_power));
  }
  int16_t out = sat16(int32_t{kept} + added);
  if (p.clip_cell) {
    out = std::max<int16_t>(std::min<int16_t>(p.quantized_cell_clip, out),
                            static_cast<int16_t>(-p.quantized_cell_clip));
  }
  return out;
}

int8_t tflm_lstm_hidden(int16_t c, int16_t o, const TflmLstmParams& p) {
  const int16_t tc = p.reference == LstmReference::Tflm
                         ? tflm_tanh_pow2(c, p.cell_state_scale_power)
                         : gemmlowp_tanh_int16(c, 15 + p.cell_state_scale_power);
  const int32_t scaled =
      multiply_by_quantized_multiplier(int32_t{tc} * o, p.hidden_multiplier, p.hidden_shift);
  const int64_t zp =
      p.reference == LstmReference::TfliteLegacy ? -p.output_state_zero_point : p.output_state_zero_point;
  return static_cast<int8_t>(std::clamp<int64_t>(int64_t{scaled} + zp, -128, 127));
}

void tflm_lstm_elementwise(const TensorI32& acc_x, const TensorI32& acc_h, const TflmLstmParams& p,
                           TflmLstmState& state) {
  const int64_t H = p.hidden_size, batch = state.h.shape.empty() ? 0 : state.h.shape[0];
  check_state(state, batch, p);
  const std::vector<int64_t> want = {batch, kLstmGates * H};
  if (acc_x.shape != want || acc_h.shape != want || acc_x.size() != batch * kLstmGates * H ||
      acc_h.size() != batch * kLstmGates * H) {
    throw InputError("tflm lstm: accumulators " + shape_str(acc_x.shape) + " and " + shape_str(acc_h.shape) +
                     " are not " + shape_str(want));
  }
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      int16_t act[kLstmGates];
      for (int g = 0; g < kLstmGates; ++g) {
        const int64_t k = b * kLstmGates * H + g * H + j;
        act[g] = tflm_lstm_activation(tflm_lstm_gate_input(acc_x[k], acc_h[k], g, p), g, p);
      }
      int16_t& c = state.c[b * H + j];
      c = tflm_lstm_cell_update(c, act[0], act[1], act[2], p);
      state.h[b * H + j] = tflm_lstm_hidden(c, act[3], p);
    }
  }
}

TflmLstmRun tflm_lstm_sequence(const TensorI8& x, bool time_major, const TflmLstmWeights& w,
                               const TflmLstmParams& p, TflmLstmState& state) {
  const int64_t I = p.input_size, H = p.hidden_size;
  if (x.shape.size() != 3 || x.shape[2] != I || x.size() != x.shape[0] * x.shape[1] * I) {
    throw InputError("tflm lstm: input " + shape_str(x.shape) + " is not " +
                     (time_major ? "[T][batch][" : "[batch][T][") + std::to_string(I) + "]");
  }
  const int64_t T = time_major ? x.shape[0] : x.shape[1];
  const int64_t batch = time_major ? x.shape[1] : x.shape[0];
  check_state(state, batch, p);
  check_weights(w, p);

  TflmLstmRun run;
  run.output = TensorI8(time_major ? std::vector<int64_t>{T, batch, H} : std::vector<int64_t>{batch, T, H});
  run.input_acc = TensorI32({T, batch, kLstmGates * H});
  run.recurrent_acc = TensorI32({T, batch, kLstmGates * H});
  TensorI8 xt({batch, I});
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t row = time_major ? t * batch + b : b * T + t;
      std::copy_n(x.data.begin() + row * I, I, xt.data.begin() + b * I);
    }
    const TflmGateAccumulators acc = tflm_lstm_gate_accumulators(xt, state.h, w, p);
    tflm_lstm_elementwise(acc.input, acc.recurrent, p, state);
    const int64_t n = batch * kLstmGates * H;
    std::copy(acc.input.data.begin(), acc.input.data.end(), run.input_acc.data.begin() + t * n);
    std::copy(acc.recurrent.data.begin(), acc.recurrent.data.end(), run.recurrent_acc.data.begin() + t * n);
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t row = time_major ? t * batch + b : b * T + t;
      std::copy_n(state.h.data.begin() + b * H, H, run.output.data.begin() + row * H);
    }
  }
  return run;
}

}  // namespace npusim::quant
