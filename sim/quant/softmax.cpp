#include "sim/quant/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/fixed_point.h"
#include "sim/quant/fixed_point_math.h"

namespace npusim::quant {
namespace {

constexpr int kScaledDiffIntegerBits = 5;     // the exp() argument is Q5.26
constexpr int kAccumulationIntegerBits = 12;  // the sum of exps is Q12.19

// Rows of the last axis: (outer, depth). A rank-0 tensor has no axis to normalise.
void rows(const TensorI8& t, const char* what, int64_t* outer, int64_t* depth) {
  if (t.shape.empty()) throw InputError(std::string(what) + ": input has rank 0");
  *depth = t.shape.back();
  *outer = *depth == 0 ? 0 : t.size() / *depth;
}

}  // namespace

SoftmaxParams make_softmax_params(float beta, float input_scale) {
  // TFLite: min(beta * input_scale * 2^(31 - 5), 2^31 - 1), then QuantizeMultiplierGreaterThanOne.
  const double max_real_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
  const double real = std::min<double>(static_cast<double>(beta) * static_cast<double>(input_scale) *
                                           static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)),
                                       max_real_multiplier);
  if (!(real > 1.0) || !std::isfinite(real)) {
    throw InputError("softmax: beta * input_scale * 2^26 = " + std::to_string(real) +
                     " must be a finite value above 1 (TFLite's int8 softmax cannot represent it)");
  }
  SoftmaxParams p;
  quantize_multiplier(real, &p.input_multiplier, &p.input_left_shift);
  // CalculateInputRadius(5, shift, 31): floor((2^5 - 1) * 2^26 / 2^shift), in double.
  const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                        static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                        static_cast<double>(int64_t{1} << p.input_left_shift);
  p.diff_min = -static_cast<int32_t>(std::floor(radius));
  return p;
}

void check_softmax_output(float output_scale, int32_t output_zero_point, const std::string& what) {
  if (output_zero_point != -128) {
    throw InputError(what + ": int8 softmax output zero point " + std::to_string(output_zero_point) +
                     " (TFLite requires -128)");
  }
  if (std::fabs(output_scale - 1.f / 256) > 0.001f * 1.f / 256) {
    throw InputError(what + ": int8 softmax output scale " + std::to_string(output_scale) +
                     " (TFLite requires 1/256)");
  }
}

TensorI8 softmax_int8_reference(const TensorI8& input, const SoftmaxParams& p) {
  int64_t outer = 0, depth = 0;
  rows(input, "softmax", &outer, &depth);
  if (p.input_left_shift < 0 || p.input_left_shift > 31) {
    throw InputError("softmax: input_left_shift " + std::to_string(p.input_left_shift) + " outside [0, 31]");
  }
  TensorI8 out(input.shape);
  // (x - max) rescaled to Q5.26: MultiplyByQuantizedMultiplierGreaterThanOne (a left shift, then the
  // high multiply), then exp() in Q0.31.
  auto exp_of_diff = [&](int32_t diff) {
    const int32_t rescaled = multiply_by_quantized_multiplier(diff, p.input_multiplier, p.input_left_shift);
    return exp_on_negative_values(rescaled, kScaledDiffIntegerBits);
  };
  for (int64_t i = 0; i < outer; ++i) {
    const int8_t* x = &input.data[static_cast<size_t>(i * depth)];
    int8_t* y = &out.data[static_cast<size_t>(i * depth)];
    const int32_t max_in_row = *std::max_element(x, x + depth);
    int32_t sum_of_exps = 0;  // Q12.19; gemmlowp adds without saturation
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t{x[c]} - max_in_row;
      if (diff >= p.diff_min) {
        sum_of_exps = static_cast<int32_t>(
            static_cast<uint32_t>(sum_of_exps) +
            static_cast<uint32_t>(rescale(exp_of_diff(diff), 0, kAccumulationIntegerBits)));
      }
    }
    int num_bits_over_unit = 0;
    const int32_t shifted_scale = get_reciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - 8;
    if (exponent < 0 || exponent > 31) {
      throw InputError("softmax: reciprocal exponent " + std::to_string(exponent) + " outside [0, 31]");
    }
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t{x[c]} - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t unsat = rounding_divide_by_pot(
            saturating_rounding_doubling_high_mul(shifted_scale, exp_of_diff(diff)), exponent);
        y[c] = static_cast<int8_t>(std::clamp<int32_t>(unsat - 128, -128, 127));
      } else {
        y[c] = -128;
      }
    }
  }
  return out;
}

TensorI8 softmax_int8_lut(const TensorI8& input, float input_scale, float beta, float output_scale,
                          int32_t output_zero_point) {
  int64_t outer = 0, depth = 0;
  rows(input, "softmax", &outer, &depth);
  // PopulateSoftmaxLookupTable: table[255 - d] = expf(-input_scale * beta * d), d = 0..255.
  float table[256];
  const float scale = -input_scale * beta;
  for (int32_t d = 0; d <= 255; ++d) table[255 - d] = std::exp(scale * static_cast<float>(d));
  TensorI8 out(input.shape);
  for (int64_t i = 0; i < outer; ++i) {
    const int8_t* x = &input.data[static_cast<size_t>(i * depth)];
    int8_t* y = &out.data[static_cast<size_t>(i * depth)];
    const int32_t max_val = *std::max_element(x, x + depth);
    const float* row_table = &table[255 - max_val];  // row_table[x] = exp(-s * beta * (max - x))
    float sum_exp = 0.0f;
    for (int64_t j = 0; j < depth; ++j) sum_exp += row_table[x[j]];
    const float inv_sum_exp = 1.0f / (sum_exp * output_scale);
    for (int64_t j = 0; j < depth; ++j) {
      const float prob_rescaled = row_table[x[j]] * inv_sum_exp;
      const int32_t q = static_cast<int32_t>(std::round(prob_rescaled)) + output_zero_point;
      y[j] = static_cast<int8_t>(std::clamp<int32_t>(q, -128, 127));
    }
  }
  return out;
}

}  // namespace npusim::quant
