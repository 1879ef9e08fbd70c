#include "sim/quant/gru.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {
namespace {

void check_state(const GruState& st, int64_t batch, const GruParams& p, const std::string& what) {
  const std::vector<int64_t> want = {batch, p.hidden_size};
  if (st.h.shape != want || st.h.size() != batch * p.hidden_size) {
    throw InputError(what + ": state h " + shape_str(st.h.shape) + " is not " + shape_str(want));
  }
}

void check_input(const TensorI8& x, const GruParams& p, const std::string& what) {
  if (x.shape.size() != 2 || x.shape[1] != p.input_size || x.size() != x.shape[0] * p.input_size) {
    throw InputError(what + ": input " + shape_str(x.shape) + " is not [batch][" +
                     std::to_string(p.input_size) + "]");
  }
}

void check_weights_bias(const TensorI8& weights, const std::vector<int32_t>& bias, const GruParams& p,
                        const std::string& what) {
  const int64_t H = p.hidden_size, K = p.input_size + p.hidden_size;
  if (weights.shape != std::vector<int64_t>{3 * H, K} || weights.size() != 3 * H * K) {
    throw InputError(what + ": weights " + shape_str(weights.shape) + " are not [3H][I+H] = [" +
                     std::to_string(3 * H) + "][" + std::to_string(K) + "]");
  }
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != 4 * H) {
    throw InputError(what + ": bias has " + std::to_string(bias.size()) +
                     " entries, expected 4H = " + std::to_string(4 * H) + " (b_r, b_z, b_xn, b_hn)");
  }
}

double sigmoid(double v) {
  return 1.0 / (1.0 + std::exp(-v));
}

}  // namespace

void check_gru_params(const GruParams& p) {
  if (p.input_size < 1 || p.hidden_size < 1) {
    throw InputError("gru: sizes I " + std::to_string(p.input_size) + ", H " + std::to_string(p.hidden_size) +
                     " must be >= 1");
  }
  check_input_zero_point(p.input_zero_point, "gru");
  check_input_zero_point(p.hidden_zero_point, "gru");
  check_gate_multipliers(p.gate_multiplier, p.gate_shift, "gru");
  if (p.hidden_shift > 0 || p.hidden_shift < -31) {
    throw InputError("gru: hidden shift " + std::to_string(p.hidden_shift) +
                     " outside [-31, 0] (hidden scale must exceed 2^-15)");
  }
}

GruParams make_gru_params(int64_t input_size, int64_t hidden_size, const RecurrentScales& s) {
  GruParams p;
  p.input_size = input_size;
  p.hidden_size = hidden_size;
  p.input_zero_point = s.input_zero_point;
  p.hidden_zero_point = s.hidden_zero_point;
  make_gate_multipliers(s, &p.gate_multiplier, &p.gate_shift, "gru");
  if (!(s.hidden_scale > std::ldexp(1.0, -kActFracBits))) {
    throw InputError("gru: hidden scale " + std::to_string(s.hidden_scale) + " must exceed 2^-15");
  }
  quantize_multiplier(std::ldexp(1.0, -kActFracBits) / s.hidden_scale, &p.hidden_multiplier, &p.hidden_shift);
  check_gru_params(p);
  return p;
}

GruState gru_initial_state(int64_t batch, const GruParams& p) {
  return {TensorI8({batch, p.hidden_size}, static_cast<int8_t>(p.hidden_zero_point))};
}

TensorI8 gru_gemm_weights(const TensorI8& weights, int64_t input_size) {
  if (weights.shape.size() != 2 || weights.shape[0] % 3 != 0 || weights.shape[0] == 0 || input_size < 1 ||
      weights.shape[1] - input_size != weights.shape[0] / 3) {
    throw InputError("gru_gemm_weights: weights " + shape_str(weights.shape) +
                     " are not [3H][I+H] with I = " + std::to_string(input_size));
  }
  const int64_t H = weights.shape[0] / 3, K = weights.shape[1];
  TensorI8 out({4 * H, K}, int8_t{0});
  // r and z rows as they are; the n rows split into [W_xn | 0] and [0 | W_hn].
  std::copy_n(weights.data.begin(), 2 * H * K, out.data.begin());
  for (int64_t j = 0; j < H; ++j) {
    const int64_t src = (2 * H + j) * K;
    std::copy_n(weights.data.begin() + src, input_size, out.data.begin() + (2 * H + j) * K);
    std::copy_n(weights.data.begin() + src + input_size, H, out.data.begin() + (3 * H + j) * K + input_size);
  }
  return out;
}

int8_t gru_cell(const int32_t acc[4], int8_t h, const GruParams& p) {
  int16_t a[4];
  for (int g = 0; g < 4; ++g) {
    const size_t k = p.gate_multiplier.size() == 1 ? 0 : static_cast<size_t>(g);
    a[g] = gate_to_q312(acc[g], p.gate_multiplier[k], p.gate_shift[k]);
  }
  const int32_t r = sigmoid_q312(a[0]), z = sigmoid_q312(a[1]);
  // r * n_h: Q0.15 * Q3.12 >> 15 stays Q3.12 (|r| < 1, so no overflow before the saturating add).
  const int32_t rnh = rounding_divide_by_pot(r * int32_t{a[3]}, kActFracBits);
  const int32_t n = tanh_q312(saturate_int16(int64_t{a[2]} + rnh));
  // Both terms in units of s_h / 2^15, so h' is rounded once.
  const int32_t new_part =
      multiply_by_quantized_multiplier((kQ15One - z) * n, p.hidden_multiplier, p.hidden_shift);
  const int32_t old_part = z * (int32_t{h} - p.hidden_zero_point);
  const int32_t out = rounding_divide_by_pot(new_part + old_part, kActFracBits) + p.hidden_zero_point;
  return static_cast<int8_t>(std::clamp(out, int32_t{-128}, int32_t{127}));
}

TensorI32 gru_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                        const std::vector<int32_t>& bias, const GruParams& p) {
  check_gru_params(p);
  check_input(x, p, "gru_gate_gemm");
  check_weights_bias(weights, bias, p, "gru_gate_gemm");
  return recurrent_gate_gemm(x, h, gru_gemm_weights(weights, p.input_size), bias, p.input_zero_point,
                             p.hidden_zero_point, "gru_gate_gemm");
}

void gru_elementwise(const TensorI32& gate_acc, const GruParams& p, GruState& state) {
  check_gru_params(p);
  const int64_t H = p.hidden_size;
  if (gate_acc.shape.size() != 2 || gate_acc.shape[1] != 4 * H ||
      gate_acc.size() != gate_acc.shape[0] * 4 * H) {
    throw InputError("gru_elementwise: gate accumulators " + shape_str(gate_acc.shape) + " are not [batch][" +
                     std::to_string(4 * H) + "]");
  }
  const int64_t batch = gate_acc.shape[0];
  check_state(state, batch, p, "gru_elementwise");
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const int32_t* row = &gate_acc[b * 4 * H];
      const int32_t acc[4] = {row[j], row[H + j], row[2 * H + j], row[3 * H + j]};
      state.h[b * H + j] = gru_cell(acc, state.h[b * H + j], p);
    }
  }
}

void gru_step(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
              const GruParams& p, GruState& state) {
  check_gru_params(p);
  check_input(x, p, "gru_step");
  check_weights_bias(weights, bias, p, "gru_step");
  const int64_t batch = x.shape[0], I = p.input_size, H = p.hidden_size, K = I + H;
  check_state(state, batch, p, "gru_step");
  check_recurrent_acc_range(x, state.h, weights, bias, p.input_zero_point, p.hidden_zero_point, "gru_step");
  auto bias_of = [&](int64_t r) { return bias.empty() ? 0 : bias[static_cast<size_t>(r)]; };
  auto dot_x = [&](int64_t b, int64_t row) {
    int32_t s = 0;
    for (int64_t k = 0; k < I; ++k) s += weights[row * K + k] * (x[b * I + k] - p.input_zero_point);
    return s;
  };
  auto dot_h = [&](int64_t b, int64_t row) {
    int32_t s = 0;
    for (int64_t k = 0; k < H; ++k)
      s += weights[row * K + I + k] * (state.h[b * H + k] - p.hidden_zero_point);
    return s;
  };
  TensorI8 h_new = state.h;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const int32_t acc[4] = {
          bias_of(j) + dot_x(b, j) + dot_h(b, j), bias_of(H + j) + dot_x(b, H + j) + dot_h(b, H + j),
          bias_of(2 * H + j) + dot_x(b, 2 * H + j), bias_of(3 * H + j) + dot_h(b, 2 * H + j)};
      h_new[b * H + j] = gru_cell(acc, state.h[b * H + j], p);
    }
  }
  state.h = std::move(h_new);
}

TensorI8 gru_sequence(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
                      const GruParams& p, GruState& state) {
  return recurrent_sequence("gru_sequence", x, p.input_size, p.hidden_size,
                            [&](const TensorI8& xt) -> const TensorI8& {
                              gru_step(xt, weights, bias, p, state);
                              return state.h;
                            });
}

RecurrentFloat gru_float_model(const TensorI8& weights, const std::vector<int32_t>& bias,
                               const RecurrentScales& s, int64_t input_size) {
  return dequantize_recurrent(gru_gemm_weights(weights, input_size), bias, input_size, s);
}

void gru_step_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t batch,
                    std::vector<double>& h) {
  const int64_t H = m.hidden_size;
  const std::vector<double> pre = recurrent_gemm_float(m, x, h, batch);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const double* row = &pre[static_cast<size_t>(b * 4 * H)];
      const double r = sigmoid(clamp_q312_real(row[j]));
      const double z = sigmoid(clamp_q312_real(row[H + j]));
      const double n =
          std::tanh(clamp_q312_real(clamp_q312_real(row[2 * H + j]) + r * clamp_q312_real(row[3 * H + j])));
      double& hv = h[static_cast<size_t>(b * H + j)];
      hv = std::clamp((1 - z) * n + z * hv, m.h_min, m.h_max);  // pre only reads the old h
    }
  }
}

std::vector<double> gru_sequence_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t steps,
                                       int64_t batch, std::vector<double>& h) {
  const int64_t I = m.input_size, H = m.hidden_size;
  std::vector<double> out(static_cast<size_t>(steps * batch * H));
  for (int64_t t = 0; t < steps; ++t) {
    const std::vector<double> xt(x.begin() + t * batch * I, x.begin() + (t + 1) * batch * I);
    gru_step_float(m, xt, batch, h);
    std::copy(h.begin(), h.end(), out.begin() + t * batch * H);
  }
  return out;
}

}  // namespace npusim::quant
