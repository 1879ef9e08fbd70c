#include "sim/quant/reduce.h"

#include <algorithm>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/fixed_point.h"

namespace npusim::quant {
namespace {

int8_t clamp8(int64_t v) {
  return static_cast<int8_t>(std::clamp<int64_t>(v, -128, 127));
}

void check_nhwc(const TensorI8& input, const char* what) {
  if (input.shape.size() != 4) {
    throw InputError(std::string(what) + ": needs a 4-D input, got rank " +
                     std::to_string(input.shape.size()));
  }
}

}  // namespace

std::vector<int> resolve_axes(const std::vector<int32_t>& axes, size_t rank) {
  std::vector<int> out;
  const int r = static_cast<int>(rank);
  for (int32_t a : axes) {
    const int cur = a < 0 ? a + r : a;
    if (cur < 0 || cur >= r) {
      throw InputError("mean: axis " + std::to_string(a) + " outside [" + std::to_string(-r) + ", " +
                       std::to_string(r) + ")");
    }
    if (std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
  }
  return out;
}

std::vector<int64_t> reduced_shape(const std::vector<int64_t>& shape, const std::vector<int>& axes,
                                   bool keep_dims) {
  std::vector<int64_t> out;
  for (size_t k = 0; k < shape.size(); ++k) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int>(k)) != axes.end();
    if (!reduced) {
      out.push_back(shape[k]);
    } else if (keep_dims) {
      out.push_back(1);
    }
  }
  return out;
}

TensorI8 mean_int8_reference(const TensorI8& input, const std::vector<int32_t>& axes, bool keep_dims,
                             float input_scale, int32_t input_zero_point, float output_scale,
                             int32_t output_zero_point) {
  const std::vector<int> ax = resolve_axes(axes, input.shape.size());
  const size_t rank = input.shape.size();
  // Sums per output element (indexed as the keep_dims shape, which has the same element order).
  const std::vector<int64_t> kept = reduced_shape(input.shape, ax, true);
  std::vector<int32_t> sum(static_cast<size_t>(Tensor<int8_t>::count(kept)), 0);
  std::vector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < input.size(); ++i) {
    int64_t o = 0;
    for (size_t k = 0; k < rank; ++k) o = o * kept[k] + (kept[k] == 1 ? 0 : idx[k]);
    sum[static_cast<size_t>(o)] += input[i];
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < input.shape[k]) break;
      idx[k] = 0;
    }
  }
  int64_t n = 1;
  for (int a : ax) n *= input.shape[static_cast<size_t>(a)];
  TensorI8 out(reduced_shape(input.shape, ax, keep_dims));
  if (n == 0 || input.size() == 0) return out;  // TFLite leaves zeros (and exits early)

  // PrepareMeanOrSum: QuantizeMultiplier((double)in_scale / (double)out_scale).
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale), &multiplier,
                      &shift);
  // QuantizedMeanOrSum folds 1/n into the multiplier.
  int s = 63 - __builtin_clzll(static_cast<uint64_t>(n));
  s = std::min(s, 32);
  s = std::min(s, 31 + shift);
  multiplier = static_cast<int32_t>((static_cast<int64_t>(multiplier) << s) / n);
  shift -= s;
  if (shift < -31 || shift > 30)
    throw InputError("mean: multiplier shift " + std::to_string(shift) + " out of range");
  for (size_t j = 0; j < sum.size(); ++j) {
    const auto shifted_sum = static_cast<int32_t>(int64_t{sum[j]} - int64_t{input_zero_point} * n);
    out.data[j] =
        clamp8(int64_t{multiply_by_quantized_multiplier(shifted_sum, multiplier, shift)} + output_zero_point);
  }
  return out;
}

TensorI8 mean_int8_hw_legacy(const TensorI8& input, float input_scale, int32_t input_zero_point,
                             float output_scale, int32_t output_zero_point) {
  check_nhwc(input, "mean");
  const int64_t N = input.shape[0], H = input.shape[1], W = input.shape[2], C = input.shape[3];
  const int64_t n = H * W;
  TensorI8 out({N, 1, 1, C});
  if (n == 0) return out;
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale), &multiplier,
                      &shift);
  const auto count = static_cast<int32_t>(n);
  for (int64_t b = 0; b < N; ++b) {
    for (int64_t c = 0; c < C; ++c) {
      int32_t acc = 0;
      for (int64_t hw = 0; hw < n; ++hw) acc += input[(b * n + hw) * C + c] - input_zero_point;
      acc = multiply_by_quantized_multiplier(acc, multiplier, shift);
      acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
      out[b * C + c] = clamp8(int64_t{acc} + output_zero_point);
    }
  }
  return out;
}

TensorI8 mean_int8_hw_optimized(const TensorI8& input, float input_scale, int32_t input_zero_point,
                                float output_scale, int32_t output_zero_point) {
  check_nhwc(input, "mean");
  const int64_t N = input.shape[0], H = input.shape[1], W = input.shape[2], C = input.shape[3];
  const int64_t n = H * W;
  TensorI8 out({N, 1, 1, C});
  if (n == 0) return out;
  // optimized_integer_ops::Mean, all in float32 as written there.
  const auto num_elements_in_axis = static_cast<float>(n);
  float temp = static_cast<float>(input_zero_point) * input_scale / output_scale;
  temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
  const int32_t bias = output_zero_point - static_cast<int32_t>(temp);
  const float real_scale = input_scale / (num_elements_in_axis * output_scale);
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(real_scale, &multiplier, &shift);
  for (int64_t b = 0; b < N; ++b) {
    for (int64_t c = 0; c < C; ++c) {
      int32_t acc = 0;
      for (int64_t hw = 0; hw < n; ++hw) acc += input[(b * n + hw) * C + c];
      out[b * C + c] = clamp8(int64_t{multiply_by_quantized_multiplier(acc, multiplier, shift)} + bias);
    }
  }
  return out;
}

}  // namespace npusim::quant
