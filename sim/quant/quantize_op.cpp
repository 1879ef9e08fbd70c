#include "sim/quant/quantize_op.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/fixed_point.h"

namespace npusim::quant {

int8_t quantize_float(float x, float scale, int32_t zero_point, bool double_division) {
  const double r = double_division ? std::round(static_cast<double>(x) / static_cast<double>(scale))
                                   : static_cast<double>(std::round(x / scale));
  if (std::isnan(r)) return -128;
  // Saturate before the int32 conversion; anything beyond +-2^31 clamps to the int8 range anyway.
  const int64_t q = static_cast<int64_t>(std::clamp(r, -2147483648.0, 2147483647.0)) + zero_point;
  return static_cast<int8_t>(std::clamp<int64_t>(q, -128, 127));
}

std::vector<int8_t> quantize_floats(const std::vector<float>& x, float scale, int32_t zero_point,
                                    bool double_division) {
  std::vector<int8_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = quantize_float(x[i], scale, zero_point, double_division);
  return out;
}

RequantizeParams make_requantize_params(float input_scale, int32_t input_zero_point, float output_scale,
                                        int32_t output_zero_point) {
  if (!(input_scale > 0.0f) || !(output_scale > 0.0f)) throw InputError("quantize: scales must be positive");
  RequantizeParams p;
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale), &p.multiplier,
                      &p.shift);
  return p;
}

TensorI8 requantize_int8(const TensorI8& input, const RequantizeParams& p) {
  if (p.shift > 30 || p.shift < -31) {
    throw InputError("quantize: requantization shift " + std::to_string(p.shift) + " outside [-31, 30]");
  }
  TensorI8 out(input.shape);
  for (int64_t i = 0; i < input.size(); ++i) {
    const int32_t v =
        multiply_by_quantized_multiplier(int32_t{input[i]} - p.input_zero_point, p.multiplier, p.shift) +
        p.output_zero_point;
    out[i] = static_cast<int8_t>(std::clamp(v, -128, 127));
  }
  return out;
}

std::vector<float> dequantize_int8(const std::vector<int8_t>& q, float scale, int32_t zero_point) {
  const double s = scale;
  std::vector<float> out(q.size());
  for (size_t i = 0; i < q.size(); ++i) out[i] = static_cast<float>(s * (int32_t{q[i]} - zero_point));
  return out;
}

}  // namespace npusim::quant
