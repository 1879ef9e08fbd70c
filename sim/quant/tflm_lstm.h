#pragma once
// TFLM's integer UNIDIRECTIONAL_SEQUENCE_LSTM (8-bit activations and weights, 16-bit cell, 32-bit
// bias; no CIFG, peephole, projection or layer norm), bit-exact, split so that an accelerator can run
// the matrix part. docs/tflm_lstm.md has the recipe and the sources; this is a separate kernel from
// the self-defined golden LSTM in lstm.h (one stacked accumulator per gate).
//
// Gates g in order i (input), f (forget), c (cell), o (output), as TFLite's inputs 1-4 / 5-8 / 12-15.
// One time step for batch row b and unit j (H units, I inputs):
//   acc_x[b][gH+j] = bias[gH+j] + sum_k W_x[gH+j][k] (x[b][k] - z_x)        int32 (input FC)
//   acc_h[b][gH+j] =              sum_k W_h[gH+j][k] (h[b][k] - z_h)        int32 (recurrent FC)
//   a_g = sat16(sat16(mbqm(acc_x, M_x[g])) + sat16(mbqm(acc_h, M_h[g])))     Q3.12 pre-activation
//   i, f, o = sigmoid(a), c~ = tanh(a_c)                                     Q0.15
//   c' = clip(sat16(sat16(mbqm(f c, 2^-15)) + sat16(mbqm(i c~, 2^-30 / s_c))))
//   h' = clamp8(mbqm(tanh_c(c') o, 2^-30 / s_h) + z_h)
// mbqm = multiply_by_quantized_multiplier (TFLite's doubly rounded multiply), M_x[g] = s_x s_Wx[g] / 2^-12,
// M_h[g] = s_h s_Wh[g] / 2^-12. sigmoid / tanh are TFLM's table ones (tflm_activation.h).
//
// LstmReference::Tflite switches the element-wise part to TFLite's (non-micro) integer LSTM, which
// shares the GEMM and the scales but differs in four places (docs/tflm_lstm.md): gemmlowp's
// fixed-point sigmoid / tanh, single rounding shifts in the cell update, float32-rounded hidden
// multiplier, and the recurrent FC added to the unclamped input FC.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

// Tflm: tflite-micro's kernel. Tflite: TFLite's (LiteRT's) integer LSTM. TfliteLegacy: older TFLite,
// before the hidden zero-point fix that LiteRT's lstm_eval.cc refers to as b/246629213: its CwiseMul
// subtracted z_h instead of adding it (the tfjs-tflite 0.0.1-alpha.10 interpreter behind
// tests/data/tflite_ref does so).
enum class LstmReference { Tflm, Tflite, TfliteLegacy };
// "TFLM integer LSTM 8x8->16" etc., as reports name the semantics.
const char* lstm_reference_name(LstmReference r);

constexpr int kLstmGates = 4;  // i, f, c, o

// The model's float32 quantization parameters (per-tensor), as TFLM's Prepare reads them.
struct TflmLstmScales {
  float input_scale = 0;  // input 0
  int32_t input_zero_point = 0;
  std::array<float, kLstmGates> input_weight_scales{};      // inputs 1-4
  std::array<float, kLstmGates> recurrent_weight_scales{};  // inputs 5-8
  float output_state_scale = 0;                             // input 18 (also the output's)
  int32_t output_state_zero_point = 0;
  float cell_state_scale = 0;  // input 19; a power of two in practice
  float cell_clip = 0;         // builtin option; 0 = no clipping
};

struct TflmLstmParams {
  LstmReference reference = LstmReference::Tflm;
  int64_t input_size = 0, hidden_size = 0;  // I, H
  int32_t input_zero_point = 0;             // z_x
  int32_t output_state_zero_point = 0;      // z_h
  // acc -> Q3.12 per gate: input FC and recurrent FC, each quantize_multiplier(s_in s_W / 2^-12).
  std::array<int32_t, kLstmGates> input_multiplier{}, recurrent_multiplier{};
  std::array<int, kLstmGates> input_shift{}, recurrent_shift{};
  int cell_state_scale_power = -11;  // s_c = 2^power (TFLM: CheckedLog2 rounded)
  bool clip_cell = false;
  int16_t quantized_cell_clip = 0;
  // Cell update multipliers (Tflm): f c -> cell is 2^-15, i c~ -> cell is 2^-30 / s_c.
  int32_t forget_cell_multiplier = 0, input_cell_multiplier = 0;
  int forget_cell_shift = 0, input_cell_shift = 0;
  // o tanh(c) (Q0.30) -> int8 hidden: 2^-30 / s_h, zero point z_h.
  int32_t hidden_multiplier = 0;
  int hidden_shift = 0;
};

// Prepare: derives the integer parameters from the float scales exactly as TFLM's
// PrepareGateParametersInteger / CreateLstmCellStateInfo do (or TFLite's
// PopulateQuantizedLstmParams8x8_16 for LstmReference::Tflite, which also needs an exact power-of-two
// cell scale in [2^-15, 2^-9], the range its tanh handles). Throws InputError for sizes < 1,
// non-positive or non-finite scales, zero points outside int8 or an unusable cell scale.
TflmLstmParams make_tflm_lstm_params(int64_t input_size, int64_t hidden_size, const TflmLstmScales& s,
                                     LstmReference reference = LstmReference::Tflm);

// Weights in the array's layout: gate blocks of H rows stacked in order i, f, c, o.
struct TflmLstmWeights {
  TensorI8 input_weights;      // [4H][I]
  TensorI8 recurrent_weights;  // [4H][H]
  std::vector<int32_t> bias;   // [4H] (input FC bias; the recurrent FC has none)
};

struct TflmLstmState {
  TensorI8 h;   // [batch][H] output state
  TensorI16 c;  // [batch][H] cell state, scale 2^cell_state_scale_power
};

// The interpreters' reset of the variable tensors: h = z_h, c = 0.
TflmLstmState tflm_lstm_initial_state(int64_t batch, const TflmLstmParams& p);

// What the array computes for one time step: acc_x = input FC [batch][4H] (bias included),
// acc_h = recurrent FC [batch][4H] (no bias). Both hold exact int32 sums (the same values come from
// the raw int8 operands with the zero points folded into a bias: bias_x - z_x sum_k W_x, -z_h sum_k W_h).
struct TflmGateAccumulators {
  TensorI32 input;
  TensorI32 recurrent;
};

// Throws InputError on shapes that do not match p, or a sum outside int32.
TflmGateAccumulators tflm_lstm_gate_accumulators(const TensorI8& x, const TensorI8& h,
                                                 const TflmLstmWeights& w, const TflmLstmParams& p);

// Pieces of the element-wise part (per element), exposed for tests and the vector-unit model.
// FC requantization to the int16 gate: sat16(mbqm(acc, multiplier, shift)).
int16_t tflm_fc_to_int16(int32_t acc, int32_t multiplier, int shift);
// Pre-activation of gate g (Q3.12) from its two accumulators.
int16_t tflm_lstm_gate_input(int32_t acc_x, int32_t acc_h, int gate, const TflmLstmParams& p);
// Activation of gate g (sigmoid, tanh for the cell gate) on its Q3.12 pre-activation -> Q0.15.
int16_t tflm_lstm_activation(int16_t pre, int gate, const TflmLstmParams& p);
// New cell state from the old one and the activated gates i, f, c~ (Q0.15).
int16_t tflm_lstm_cell_update(int16_t c, int16_t i, int16_t f, int16_t g, const TflmLstmParams& p);
// New hidden (int8) from the new cell state and the output gate o (Q0.15).
int8_t tflm_lstm_hidden(int16_t c, int16_t o, const TflmLstmParams& p);

// The element-wise part of one step from the array's accumulators; updates state (h and c).
// Throws InputError on shape mismatch.
void tflm_lstm_elementwise(const TensorI32& acc_x, const TensorI32& acc_h, const TflmLstmParams& p,
                           TflmLstmState& state);

struct TflmLstmRun {
  TensorI8 output;          // same layout as the input: [T][batch][H] or [batch][T][H]
  TensorI32 input_acc;      // [T][batch][4H] acc_x of every step
  TensorI32 recurrent_acc;  // [T][batch][4H] acc_h of every step
};

// The whole sequence: x is [T][batch][I] when time_major, else [batch][T][I] (TFLite's layouts).
// Batch rows are independent, so stepping all rows together equals TFLM's row-by-row order for
// batch-major input. `state` holds the initial state and ends as the final one.
TflmLstmRun tflm_lstm_sequence(const TensorI8& x, bool time_major, const TflmLstmWeights& w,
                               const TflmLstmParams& p, TflmLstmState& state);

}  // namespace npusim::quant
