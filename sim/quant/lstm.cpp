#include "sim/quant/lstm.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {
namespace {

void check_state(const LstmState& st, int64_t batch, const LstmParams& p, const std::string& what) {
  const std::vector<int64_t> want = {batch, p.hidden_size};
  if (st.h.shape != want || st.c.shape != want || st.h.size() != batch * p.hidden_size ||
      st.c.size() != batch * p.hidden_size) {
    throw InputError(what + ": state h " + shape_str(st.h.shape) + " and c " + shape_str(st.c.shape) +
                     " are not " + shape_str(want));
  }
}

void check_input(const TensorI8& x, const LstmParams& p, const std::string& what) {
  if (x.shape.size() != 2 || x.shape[1] != p.input_size || x.size() != x.shape[0] * p.input_size) {
    throw InputError(what + ": input " + shape_str(x.shape) + " is not [batch][" +
                     std::to_string(p.input_size) + "]");
  }
}

double sigmoid(double v) {
  return 1.0 / (1.0 + std::exp(-v));
}

}  // namespace

void check_lstm_params(const LstmParams& p) {
  if (p.input_size < 1 || p.hidden_size < 1) {
    throw InputError("lstm: sizes I " + std::to_string(p.input_size) + ", H " +
                     std::to_string(p.hidden_size) + " must be >= 1");
  }
  check_input_zero_point(p.input_zero_point, "lstm");
  check_input_zero_point(p.hidden_zero_point, "lstm");
  check_gate_multipliers(p.gate_multiplier, p.gate_shift, "lstm");
  if (p.cell_scale_log2 < -15 || p.cell_scale_log2 > -8) {
    throw InputError("lstm: cell_scale_log2 " + std::to_string(p.cell_scale_log2) + " outside [-15, -8]");
  }
  check_requant(p.hidden_rq, 1, "lstm hidden output");
  if (p.hidden_rq.multiplier.size() != 1 || p.hidden_rq.shift[0] > 0 ||
      p.hidden_rq.output_zero_point != p.hidden_zero_point) {
    // o * tanh(c) < 2^30, so a left shift could wrap; s_h > 2^-30 always avoids it.
    throw InputError("lstm: hidden requant must be per-tensor with shift <= 0 and zero point z_h");
  }
}

LstmParams make_lstm_params(int64_t input_size, int64_t hidden_size, const RecurrentScales& s,
                            int cell_scale_log2) {
  LstmParams p;
  p.input_size = input_size;
  p.hidden_size = hidden_size;
  p.input_zero_point = s.input_zero_point;
  p.hidden_zero_point = s.hidden_zero_point;
  make_gate_multipliers(s, &p.gate_multiplier, &p.gate_shift, "lstm");
  p.cell_scale_log2 = cell_scale_log2;
  p.hidden_rq = make_requant({std::ldexp(1.0, -2 * kActFracBits) / s.hidden_scale}, s.hidden_zero_point, 8);
  check_lstm_params(p);
  return p;
}

LstmState lstm_initial_state(int64_t batch, const LstmParams& p) {
  return {TensorI8({batch, p.hidden_size}, static_cast<int8_t>(p.hidden_zero_point)),
          TensorI16({batch, p.hidden_size}, int16_t{0})};
}

int16_t cell_to_q312(int16_t c, int cell_scale_log2) {
  const int up = kGateFracBits + cell_scale_log2;  // c * 2^up
  if (up >= 0) return saturate_int16(int64_t{c} * (int64_t{1} << up));
  return static_cast<int16_t>(rounding_divide_by_pot(c, -up));
}

int8_t lstm_cell(const int32_t acc[4], int16_t* c, const LstmParams& p) {
  int16_t a[4];
  for (int g = 0; g < 4; ++g) {
    const size_t k = p.gate_multiplier.size() == 1 ? 0 : static_cast<size_t>(g);
    a[g] = gate_to_q312(acc[g], p.gate_multiplier[k], p.gate_shift[k]);
  }
  const int32_t i = sigmoid_q312(a[0]), f = sigmoid_q312(a[1]), g = tanh_q312(a[2]), o = sigmoid_q312(a[3]);
  // f c keeps c's scale; i g is Q0.30, shifted down to c's 2^cell_scale_log2. Both fit int16 before the sum.
  const int32_t fc = rounding_divide_by_pot(f * int32_t{*c}, kActFracBits);
  const int32_t ig = rounding_divide_by_pot(i * g, 2 * kActFracBits + p.cell_scale_log2);
  *c = saturate_int16(int64_t{fc} + ig);
  const int32_t tc = tanh_q312(cell_to_q312(*c, p.cell_scale_log2));
  return requantize(o * tc, p.hidden_rq, 0);
}

TensorI32 lstm_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                         const std::vector<int32_t>& bias, const LstmParams& p) {
  check_lstm_params(p);
  check_input(x, p, "lstm_gate_gemm");
  if (weights.shape != std::vector<int64_t>{4 * p.hidden_size, p.input_size + p.hidden_size}) {
    throw InputError("lstm_gate_gemm: weights " + shape_str(weights.shape) + " are not [4H][I+H] = [" +
                     std::to_string(4 * p.hidden_size) + "][" + std::to_string(p.input_size + p.hidden_size) +
                     "]");
  }
  return recurrent_gate_gemm(x, h, weights, bias, p.input_zero_point, p.hidden_zero_point, "lstm_gate_gemm");
}

void lstm_elementwise(const TensorI32& gate_acc, const LstmParams& p, LstmState& state) {
  check_lstm_params(p);
  const int64_t H = p.hidden_size;
  if (gate_acc.shape.size() != 2 || gate_acc.shape[1] != 4 * H ||
      gate_acc.size() != gate_acc.shape[0] * 4 * H) {
    throw InputError("lstm_elementwise: gate accumulators " + shape_str(gate_acc.shape) +
                     " are not [batch][" + std::to_string(4 * H) + "]");
  }
  const int64_t batch = gate_acc.shape[0];
  check_state(state, batch, p, "lstm_elementwise");
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const int32_t* row = &gate_acc[b * 4 * H];
      const int32_t acc[4] = {row[j], row[H + j], row[2 * H + j], row[3 * H + j]};
      state.h[b * H + j] = lstm_cell(acc, &state.c[b * H + j], p);
    }
  }
}

void lstm_step(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
               const LstmParams& p, LstmState& state) {
  check_lstm_params(p);
  check_input(x, p, "lstm_step");
  const int64_t batch = x.shape[0], I = p.input_size, H = p.hidden_size, K = I + H;
  check_state(state, batch, p, "lstm_step");
  if (weights.shape != std::vector<int64_t>{4 * H, K} || weights.size() != 4 * H * K) {
    throw InputError("lstm_step: weights " + shape_str(weights.shape) + " are not [4H][I+H]");
  }
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != 4 * H) {
    throw InputError("lstm_step: bias has " + std::to_string(bias.size()) +
                     " entries, expected 4H = " + std::to_string(4 * H));
  }
  check_recurrent_acc_range(x, state.h, weights, bias, p.input_zero_point, p.hidden_zero_point, "lstm_step");
  // Every unit reads the old h, so the new one goes to a copy.
  TensorI8 h_new = state.h;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      int32_t acc[4];
      for (int g = 0; g < 4; ++g) {
        const int64_t r = g * H + j;
        int32_t sum = bias.empty() ? 0 : bias[static_cast<size_t>(r)];
        for (int64_t k = 0; k < I; ++k) sum += weights[r * K + k] * (x[b * I + k] - p.input_zero_point);
        for (int64_t k = 0; k < H; ++k)
          sum += weights[r * K + I + k] * (state.h[b * H + k] - p.hidden_zero_point);
        acc[g] = sum;
      }
      h_new[b * H + j] = lstm_cell(acc, &state.c[b * H + j], p);
    }
  }
  state.h = std::move(h_new);
}

TensorI8 lstm_sequence(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
                       const LstmParams& p, LstmState& state) {
  return recurrent_sequence("lstm_sequence", x, p.input_size, p.hidden_size,
                            [&](const TensorI8& xt) -> const TensorI8& {
                              lstm_step(xt, weights, bias, p, state);
                              return state.h;
                            });
}

RecurrentFloat lstm_float_model(const TensorI8& weights, const std::vector<int32_t>& bias,
                                const RecurrentScales& s, int64_t input_size, int cell_scale_log2) {
  RecurrentFloat m = dequantize_recurrent(weights, bias, input_size, s);
  m.c_min = std::ldexp(-32768.0, cell_scale_log2);
  m.c_max = std::ldexp(32767.0, cell_scale_log2);
  return m;
}

LstmFloatState lstm_dequantize_state(const LstmState& st, const RecurrentScales& s, int cell_scale_log2) {
  LstmFloatState f;
  f.h = dequantize(st.h, s.hidden_scale, s.hidden_zero_point);
  f.c.resize(st.c.data.size());
  for (size_t i = 0; i < f.c.size(); ++i)
    f.c[i] = std::ldexp(static_cast<double>(st.c.data[i]), cell_scale_log2);
  return f;
}

void lstm_step_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t batch,
                     LstmFloatState& st) {
  const int64_t H = m.hidden_size;
  const std::vector<double> pre = recurrent_gemm_float(m, x, st.h, batch);
  std::vector<double> h_new(st.h.size());
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const double* row = &pre[static_cast<size_t>(b * 4 * H)];
      const double i = sigmoid(clamp_q312_real(row[j]));
      const double f = sigmoid(clamp_q312_real(row[H + j]));
      const double g = std::tanh(clamp_q312_real(row[2 * H + j]));
      const double o = sigmoid(clamp_q312_real(row[3 * H + j]));
      double& c = st.c[static_cast<size_t>(b * H + j)];
      c = std::clamp(f * c + i * g, m.c_min, m.c_max);
      h_new[static_cast<size_t>(b * H + j)] = std::clamp(o * std::tanh(c), m.h_min, m.h_max);
    }
  }
  st.h = std::move(h_new);
}

std::vector<double> lstm_sequence_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t steps,
                                        int64_t batch, LstmFloatState& st) {
  const int64_t I = m.input_size, H = m.hidden_size;
  std::vector<double> out(static_cast<size_t>(steps * batch * H));
  for (int64_t t = 0; t < steps; ++t) {
    const std::vector<double> xt(x.begin() + t * batch * I, x.begin() + (t + 1) * batch * I);
    lstm_step_float(m, xt, batch, st);
    std::copy(st.h.begin(), st.h.end(), out.begin() + t * batch * H);
  }
  return out;
}

}  // namespace npusim::quant
