#include "sim/quant/activations.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/fixed_point.h"

namespace npusim::quant {

Lut8 make_lut_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point,
                   const std::function<float(float)>& f) {
  Lut8 lut{};
  const float inverse_scale = 1 / output_scale;
  for (int32_t q = -128; q <= 127; ++q) {
    const float dequantized = input_scale * static_cast<float>(q - input_zero_point);
    const float transformed = f(dequantized);
    const float rescaled = std::round(transformed * inverse_scale);
    // TFLite converts rescaled + zp (a float) to int32; clamp in float first so a huge value or NaN
    // does not hit the undefined conversion (the result saturates either way).
    const float shifted = rescaled + static_cast<float>(output_zero_point);
    const int32_t quantized = std::isnan(shifted)  ? -128
                              : shifted <= -128.0f ? -128
                              : shifted >= 127.0f  ? 127
                                                   : static_cast<int32_t>(shifted);
    lut[static_cast<uint8_t>(static_cast<int8_t>(q))] = static_cast<int8_t>(std::clamp(quantized, -128, 127));
  }
  return lut;
}

Lut8 logistic_lut_int8(float input_scale, int32_t input_zero_point, float output_scale,
                       int32_t output_zero_point) {
  if (output_scale != 1.0f / 256) {
    throw InputError("logistic: int8 output scale " + std::to_string(output_scale) +
                     " (TFLite requires 1/256)");
  }
  return make_lut_int8(input_scale, input_zero_point, output_scale, output_zero_point,
                       [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
}

Lut8 tanh_lut_int8(float input_scale, int32_t input_zero_point, float output_scale,
                   int32_t output_zero_point) {
  return make_lut_int8(input_scale, input_zero_point, output_scale, output_zero_point,
                       [](float v) { return std::tanh(v); });
}

TensorI8 apply_lut(const TensorI8& input, const Lut8& lut) {
  TensorI8 out(input.shape);
  for (int64_t i = 0; i < input.size(); ++i) out[i] = lut[static_cast<uint8_t>(input[i])];
  return out;
}

ReluParams make_relu_params(float input_scale, int32_t input_zero_point, float output_scale,
                            int32_t output_zero_point, float lo, float hi) {
  if (!(input_scale > 0.0f) || !(output_scale > 0.0f)) {
    throw InputError("relu: scales must be positive");
  }
  ReluParams p;
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  // ReluPrepare: `double real_multiplier = input->params.scale / output->params.scale;` (float division).
  const double real_multiplier = input_scale / output_scale;
  quantize_multiplier(real_multiplier, &p.output_multiplier, &p.output_shift);
  p.act_min =
      std::max<int32_t>(-128, output_zero_point + static_cast<int32_t>(std::round(lo / output_scale)));
  p.act_max =
      hi == std::numeric_limits<float>::infinity()
          ? 127
          : std::min<int32_t>(127, output_zero_point + static_cast<int32_t>(std::round(hi / output_scale)));
  return p;
}

TensorI8 relu_int8(const TensorI8& input, const ReluParams& p) {
  if (p.output_shift > 30 || p.output_shift < -31) {
    throw InputError("relu: multiplier shift " + std::to_string(p.output_shift) + " outside [-31, 30]");
  }
  TensorI8 out(input.shape);
  for (int64_t i = 0; i < input.size(); ++i) {
    const int32_t v =
        p.output_zero_point + multiply_by_quantized_multiplier(int32_t{input[i]} - p.input_zero_point,
                                                               p.output_multiplier, p.output_shift);
    out[i] = static_cast<int8_t>(
        std::clamp(std::max(p.act_min, v), std::numeric_limits<int32_t>::min(), p.act_max));
  }
  return out;
}

}  // namespace npusim::quant
