#pragma once
// Golden integer GRU in the style of the integer LSTM (lstm.h); TFLite has no integer GRU. Gates follow
// PyTorch / cuDNN: the reset gate multiplies the hidden part of the candidate including its bias,
//   r = sigmoid(W_xr x + W_hr h + b_r),  z = sigmoid(W_xz x + W_hz h + b_z),
//   n = tanh(W_xn x + b_xn + r (W_hn h + b_hn)),  h' = (1 - z) n + z h.
// docs/recurrent_golden.md has the derivation; the exact semantics are here.
//
// Operands: x_t int8 [batch][I] (s_x, z_x), h int8 [batch][H] (s_h, z_h), weights int8 [3H][I+H] =
// [W_x | W_h] with row blocks r, z, n (PyTorch's weight_ih and weight_hh side by side), bias int32 [4H]
// = [b_r, b_z, b_xn, b_hn] (PyTorch: b_ir + b_hr, b_iz + b_hz, b_in, b_hn) or empty.
// One time step:
//   1. Gate GEMM (gru_gate_gemm): the GEMM of [x - z_x, h - z_h] by the expanded [4H][I+H] matrix
//      gru_gemm_weights(W) = [W_xr W_hr; W_xz W_hz; W_xn 0; 0 W_hn] plus bias, giving int32 accumulator
//      groups r, z, n_x, n_h (blocks of H). Group g has scale s_acc[g]; weights in its x columns are
//      worth q s_acc[g] / s_x, in its h columns q s_acc[g] / s_h (so W_xn and W_hn scale independently).
//   2. Element-wise (gru_elementwise / gru_cell), per (b, j):
//      a_g = gate_to_q312(acc_g, gate_multiplier[g], gate_shift[g])          Q3.12 for all 4 groups
//      r = sigmoid_q312(a_r), z = sigmoid_q312(a_z)                          Q0.15
//      n = tanh_q312(sat16(a_nx + rdp(r a_nh, 15)))                         Q0.15 (int16 intermediate)
//      p = multiply_by_quantized_multiplier((32768 - z) n, hidden_multiplier, hidden_shift)
//          ((1 - z) n is Q0.30; the real multiplier 2^-15 / s_h makes p a count of s_h / 2^15)
//      h' = clamp(rdp(p + z (h - z_h), 15) + z_h, -128, 127)               one final rounding
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/quant/recurrent.h"

namespace npusim::quant {

struct GruParams {
  int64_t input_size = 0, hidden_size = 0;  // I, H (>= 1)
  int32_t input_zero_point = 0;             // z_x
  int32_t hidden_zero_point = 0;            // z_h
  // Accumulator -> Q3.12, 1 shared or 4 (r, z, n_x, n_h).
  std::vector<int32_t> gate_multiplier;
  std::vector<int> gate_shift;
  // 2^-15 / s_h; shift <= 0 (needs s_h > 2^-15) so (1 - z) n cannot wrap.
  int32_t hidden_multiplier = 0;
  int hidden_shift = 0;
};

struct GruState {
  TensorI8 h;  // [batch][H]
};

// Throws InputError for sizes < 1, non-positive scales, zero points outside int8, gate_scales of
// size other than 1 or 4, or s_h <= 2^-15.
GruParams make_gru_params(int64_t input_size, int64_t hidden_size, const RecurrentScales& s);

void check_gru_params(const GruParams& p);

// Zero state in real terms: h = z_h.
GruState gru_initial_state(int64_t batch, const GruParams& p);

// The [4H][I+H] GEMM matrix for [3H][I+H] weights (see above). Throws InputError on a bad shape.
TensorI8 gru_gemm_weights(const TensorI8& weights, int64_t input_size);

// Element-wise step of one unit: acc = {acc_r, acc_z, acc_nx, acc_nh}, h = h_{t-1}; returns h_t.
int8_t gru_cell(const int32_t acc[4], int8_t h, const GruParams& p);

// Step 1: accumulators [batch][4H] (groups r, z, n_x, n_h) for x [batch][I], h [batch][H] and
// [3H][I+H] weights: recurrent_gate_gemm with gru_gemm_weights(weights).
TensorI32 gru_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                        const std::vector<int32_t>& bias, const GruParams& p);

// Step 2: finishes the time step from the accumulators [batch][4H].
void gru_elementwise(const TensorI32& gate_acc, const GruParams& p, GruState& state);

// One time step (a fused loop over the compact [3H][I+H] weights; equals gemm + elementwise).
void gru_step(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
              const GruParams& p, GruState& state);

// T steps: x [T][batch][I] -> h [T][batch][H]; `state` is updated to the final state.
TensorI8 gru_sequence(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
                      const GruParams& p, GruState& state);

// Float reference (tests): same math in double on dequantized operands, with the integer layer's
// saturation (the four Q3.12 values and the candidate pre-activation to [-8, 8 - 2^-12], h to the
// int8 range) but no rounding and exact sigmoid / tanh. The model holds the expanded GEMM matrix.
RecurrentFloat gru_float_model(const TensorI8& weights, const std::vector<int32_t>& bias,
                               const RecurrentScales& s, int64_t input_size);
// x [batch][I] real; h [batch][H] real, updated.
void gru_step_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t batch,
                    std::vector<double>& h);
std::vector<double> gru_sequence_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t steps,
                                       int64_t batch, std::vector<double>& h);

}  // namespace npusim::quant
