#pragma once
// Golden integer LSTM in the style of TFLite's 8x8->16 integer LSTM (no peepholes, projection, layer
// norm or cell clip). docs/recurrent_golden.md has the derivation; the exact semantics are here.
//
// Operands (b = batch row, j = hidden unit, I = input size, H = hidden size):
//   x_t       int8 [batch][I], real s_x (x - z_x)
//   h         int8 [batch][H], real s_h (h - z_h)
//   c         int16 [batch][H], real c * 2^cell_scale_log2 (default 2^-11: Q4.11, range [-16, 16))
//   weights   int8 [4H][I+H] = [W_x | W_h], symmetric; row block order i, f, g (cell), o
//   bias      int32 [4H] (or empty = 0), real bias * s_acc[gate]
// One time step:
//   1. Gate GEMM (lstm_gate_gemm, the accelerator's job): acc[b][r] = bias[r] + W[r] . [x - z_x, h - z_h]
//      in int32. Folding the zero points into the bias (zero_point_bias) gives the same accumulators
//      from the raw [x, h]. A row's x and h products share one int32 accumulator, so gate g has one
//      scale s_acc[g] (RecurrentScales): a W_x weight q is worth q s_acc[g] / s_x, a W_h one
//      q s_acc[g] / s_h.
//   2. Element-wise (lstm_elementwise / lstm_cell, the vector unit's job), per (b, j), gates
//      a_g = gate_to_q312(acc_g, gate_multiplier[g], gate_shift[g])    Q3.12, multiplier s_acc[g] 2^12
//      i = sigmoid_q312(a_i), f = sigmoid_q312(a_f), g = tanh_q312(a_g), o = sigmoid_q312(a_o)   Q0.15
//      c' = sat16(rdp(f c, 15) + rdp(i g, 30 + cell_scale_log2))     rdp = rounding_divide_by_pot
//      tc = tanh_q312(cell_to_q312(c'))                                 Q0.15
//      h' = clamp(multiply_by_quantized_multiplier(o tc, hidden_rq) + z_h, -128, 127)
//           (o tc is Q0.30; hidden_rq's real multiplier is 2^-30 / s_h), i.e. requantize(o tc, hidden_rq).
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/quant/recurrent.h"
#include "sim/quant/requant.h"

namespace npusim::quant {

struct LstmParams {
  int64_t input_size = 0, hidden_size = 0;  // I, H (>= 1)
  int32_t input_zero_point = 0;             // z_x
  int32_t hidden_zero_point = 0;            // z_h (also hidden_rq.output_zero_point)
  // Accumulator -> Q3.12, 1 shared or 4 (i, f, g, o).
  std::vector<int32_t> gate_multiplier;
  std::vector<int> gate_shift;
  int cell_scale_log2 = -11;  // in [-15, -8]
  Requant hidden_rq;          // per-tensor, 2^-30 / s_h, zero point z_h, int8 range
};

// c, h state of a batch. Shapes [batch][H].
struct LstmState {
  TensorI8 h;
  TensorI16 c;
};

// TFLite-style Prepare: gate multipliers s_acc[g] 2^12, hidden multiplier 2^-30 / s_h (zero point
// z_h, int8 clamp). Throws InputError for sizes < 1, non-positive scales, zero points outside int8,
// gate_scales of size other than 1 or 4, or cell_scale_log2 outside [-15, -8].
LstmParams make_lstm_params(int64_t input_size, int64_t hidden_size, const RecurrentScales& s,
                            int cell_scale_log2 = -11);

// Throws InputError unless p is usable (the checks of make_lstm_params on the integer fields).
void check_lstm_params(const LstmParams& p);

// Zero state in real terms: h = z_h, c = 0.
LstmState lstm_initial_state(int64_t batch, const LstmParams& p);

// Q3.12 view of a cell value for the tanh: c * 2^(12 + cell_scale_log2), rounding (rdp) when that
// shifts right and saturating to int16 when it shifts left (|c| >= 8 gives tanh ~ 1 either way).
int16_t cell_to_q312(int16_t c, int cell_scale_log2);

// Element-wise step of one unit: acc = {acc_i, acc_f, acc_g, acc_o}; updates c and returns h'.
int8_t lstm_cell(const int32_t acc[4], int16_t* c, const LstmParams& p);

// Step 1: gate accumulators [batch][4H] from x [batch][I] and h [batch][H] (recurrent_gate_gemm).
TensorI32 lstm_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                         const std::vector<int32_t>& bias, const LstmParams& p);

// Step 2: finishes the time step from the gate accumulators [batch][4H] (columns i, f, g, o blocks of
// H). Throws InputError on shape mismatch.
void lstm_elementwise(const TensorI32& gate_acc, const LstmParams& p, LstmState& state);

// One time step over the batch (a fused loop that must equal lstm_gate_gemm + lstm_elementwise).
void lstm_step(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
               const LstmParams& p, LstmState& state);

// T steps: x [T][batch][I] -> h [T][batch][H]; `state` holds the initial state and ends as the final one.
TensorI8 lstm_sequence(const TensorI8& x, const TensorI8& weights, const std::vector<int32_t>& bias,
                       const LstmParams& p, LstmState& state);

// Float reference (tests): the same math in double on dequantized operands, with the integer layer's
// saturation (gate pre-activations to [-8, 8 - 2^-12], c to the int16 range, h to the int8 range)
// but no rounding and exact sigmoid / tanh.
struct LstmFloatState {
  std::vector<double> h, c;  // [batch][H]
};
RecurrentFloat lstm_float_model(const TensorI8& weights, const std::vector<int32_t>& bias,
                                const RecurrentScales& s, int64_t input_size, int cell_scale_log2 = -11);
LstmFloatState lstm_dequantize_state(const LstmState& st, const RecurrentScales& s,
                                     int cell_scale_log2 = -11);
// x [batch][I] real.
void lstm_step_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t batch,
                     LstmFloatState& st);
// x [T][batch][I] real -> h [T][batch][H] real.
std::vector<double> lstm_sequence_float(const RecurrentFloat& m, const std::vector<double>& x, int64_t steps,
                                        int64_t batch, LstmFloatState& st);

}  // namespace npusim::quant
