#pragma once
// Shared pieces of the golden integer recurrent layers (lstm.h, gru.h; semantics in
// docs/recurrent_golden.md): the stacked gate GEMM, int32 -> Q3.12 gate requantization, and the
// Q3.12 -> Q0.15 sigmoid / tanh lookup tables. Integer only at run time (the tables are constants in
// the source), so every platform and the vector-unit model get the same bits.
//
// Fixed-point formats (int16 raw value r):
//   Q3.12  real = r / 2^12, range [-8, 8)       gate pre-activations
//   Q0.15  real = r / 2^15, range [-1, 1)       sigmoid / tanh outputs ("one" = 32768 only in int32)
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/quant/fixed_point.h"

namespace npusim::quant {

constexpr int kGateFracBits = 12;  // Q3.12
constexpr int kActFracBits = 15;   // Q0.15
constexpr int32_t kQ15One = 32768;

// The sigmoid / tanh tables sample [0, 8] every 1/64 (64 raw Q3.12 units): 512 segments plus the end
// point, entry k = round_half_away(2^15 * f(k / 64)) clamped to int16. Negative inputs use symmetry.
constexpr int kActLutSegments = 512;
constexpr int kActLutStepBits = 6;  // log2(64): Q3.12 raw units per segment
using ActLut = std::array<int16_t, kActLutSegments + 1>;
const ActLut& sigmoid_lut();
const ActLut& tanh_lut();

// Linear interpolation in `lut` at a = min(|x|, 32767):
//   k = a >> 6, t = a & 63, y = lut[k] + ((lut[k+1] - lut[k]) * t + 32) >> 6   (slopes are >= 0).
int16_t lut_interpolate(const ActLut& lut, int32_t a);

// sigmoid(x / 2^12) in Q0.15: y(|x|) for x >= 0, 32768 - y(|x|) for x < 0 (so sigmoid(-x) + sigmoid(x)
// = 32768 exactly). Output range [11, 32757]; |error| <= 0.99 LSB of Q0.15 over all int16 inputs.
int16_t sigmoid_q312(int16_t x);

// tanh(x / 2^12) in Q0.15: y(|x|) for x >= 0, -y(|x|) for x < 0 (exactly odd). Output range
// [-32767, 32767]; |error| <= 1.53 LSB of Q0.15 over all int16 inputs.
int16_t tanh_q312(int16_t x);

inline int16_t saturate_int16(int64_t v) {
  return static_cast<int16_t>(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
}

// Requantizes a gate accumulator to Q3.12: sat16(multiply_by_quantized_multiplier(acc, m, shift)).
// For shift > 0 the accumulator is first clamped to +-2^(30 - shift): every such value already
// saturates the result, and the clamp keeps the left shift from wrapping (where TFLite would wrap).
inline int16_t gate_to_q312(int32_t acc, int32_t multiplier, int shift) {
  if (shift > 0) {
    const int32_t lim = int32_t{1} << (30 - shift);
    acc = acc < -lim ? -lim : (acc > lim ? lim : acc);
  }
  return saturate_int16(multiply_by_quantized_multiplier(acc, multiplier, shift));
}

// Float description of a recurrent layer's quantization. Each of the 4 accumulator groups (LSTM: i, f,
// g, o; GRU: r, z, n_x, n_h) has one real scale s_acc[g] = the real value of one unit of its int32
// accumulator (and of its int32 bias). Because x and h products share one accumulator, a weight q in
// the input columns is worth q * s_acc[g] / input_scale and one in the hidden columns
// q * s_acc[g] / hidden_scale.
struct RecurrentScales {
  double input_scale = 0;  // s_x
  int32_t input_zero_point = 0;
  double hidden_scale = 0;  // s_h
  int32_t hidden_zero_point = 0;
  std::vector<double> gate_scales;  // s_acc: 1 (shared) or 4 (one per group)
};

// Gate multipliers s_acc[g] * 2^12 (accumulator -> Q3.12) as quantize_multiplier splits them.
// Throws InputError for non-positive scales, zero points outside int8, or a gate_scales size other
// than 1 or 4.
void make_gate_multipliers(const RecurrentScales& s, std::vector<int32_t>* multiplier,
                           std::vector<int>* shift, const std::string& what);

// Throws InputError unless multiplier/shift have equal sizes 1 or 4 and shifts lie in [-31, 30].
void check_gate_multipliers(const std::vector<int32_t>& multiplier, const std::vector<int>& shift,
                            const std::string& what);

// The gate GEMM the accelerator runs: [batch][R] int32 with
//   acc[b][r] = bias[r] + sum_{k<I} W[r][k] (x[b][k] - z_x) + sum_{k<H} W[r][I+k] (h[b][k] - z_h)
// for x [batch][I], h [batch][H], weights [R][I+H] and bias [R] or empty. Throws InputError on shape
// mismatch, zero points outside int8 or an accumulator that could overflow int32.
TensorI32 recurrent_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                              const std::vector<int32_t>& bias, int32_t input_zero_point,
                              int32_t hidden_zero_point, const std::string& what);

// Folds the zero points into the bias (TFLite's PrecomputeZeroPointTimesWeightWithBias):
//   bias'[r] = bias[r] - z_x sum_{k<I} W[r][k] - z_h sum_{k<H} W[r][I+k]
// so recurrent_gate_gemm(x, h, W, bias', 0, 0, ...) gives the same accumulators as the unfolded
// GEMM, exactly (the GEMM of the raw int8 [x, h] needs no zero-point handling). Throws InputError on
// shape mismatch or a folded bias outside int32.
std::vector<int32_t> zero_point_bias(const TensorI8& weights, const std::vector<int32_t>& bias,
                                      int64_t input_size, int32_t input_zero_point,
                                      int32_t hidden_zero_point);

// Throws InputError if bias + sum of products could overflow int32 for these operands (bound from
// the largest |x - z_x|, |h - z_h|, |W| of each column block and |bias|).
void check_recurrent_acc_range(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                               const std::vector<int32_t>& bias, int32_t input_zero_point,
                               int32_t hidden_zero_point, const std::string& what);

// Real value of every element: scale * (q - zero_point). Row-major, same order as t.data.
std::vector<double> dequantize(const TensorI8& t, double scale, int32_t zero_point);

// Float reference model (tests only): the integer layer's math on dequantized operands in double,
// with the integer layer's saturation bounds but no rounding.
struct RecurrentFloat {
  int64_t input_size = 0, hidden_size = 0;
  std::vector<double> weights;  // [4H][I+H] real (GRU: the expanded GEMM matrix, see gru.h)
  std::vector<double> bias;     // [4H] real
  double h_min = 0, h_max = 0;  // real range of the int8 hidden state
  double c_min = 0, c_max = 0;  // real range of the int16 cell state (LSTM only)
};

// Dequantizes a [4H][I+H] gate matrix and its bias with `s` (h range from z_h and s_h).
RecurrentFloat dequantize_recurrent(const TensorI8& weights, const std::vector<int32_t>& bias,
                                    int64_t input_size, const RecurrentScales& s);

// Real gate GEMM: [batch][4H] pre-activations W [x, h] + b for real x [batch][I] and h [batch][H].
std::vector<double> recurrent_gemm_float(const RecurrentFloat& m, const std::vector<double>& x,
                                         const std::vector<double>& h, int64_t batch);

// Clamp of a real pre-activation to the Q3.12 range [-8, 8 - 2^-12], as the int16 gate saturates.
double clamp_q312_real(double v);

// T time steps of a recurrent layer: x [T][batch][input_size] -> h [T][batch][hidden_size]. `step` runs
// one step on x_t [batch][input_size] and returns the new h [batch][hidden_size]; `what` names the
// layer in the InputError for a badly shaped x.
TensorI8 recurrent_sequence(const std::string& what, const TensorI8& x, int64_t input_size,
                            int64_t hidden_size, const std::function<const TensorI8&(const TensorI8&)>& step);

}  // namespace npusim::quant
