#include "sim/quant/fully_connected.h"

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {

TensorI32 fc_acc(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                 int32_t input_zero_point) {
  if (input.shape.size() != 2 || weights.shape.size() != 2 || input.shape[1] != weights.shape[1]) {
    throw InputError("fully_connected: input " + shape_str(input.shape) + " and weights " +
                     shape_str(weights.shape) + " are not [batch][K] and [N][K]");
  }
  const int64_t batch = input.shape[0], K = input.shape[1], N = weights.shape[0];
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != N) {
    throw InputError("fully_connected: bias has " + std::to_string(bias.size()) + " entries, expected N = " +
                     std::to_string(N));
  }
  check_input_zero_point(input_zero_point, "fully_connected");
  check_acc_range(input, input_zero_point, weights, bias, K, "fully_connected");

  std::vector<int16_t> x(input.data.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int16_t>(input.data[i] - input_zero_point);
  const std::vector<int16_t> w(weights.data.begin(), weights.data.end());

  TensorI32 out({batch, N});
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t n = 0; n < N; ++n) {
      const int32_t base = bias.empty() ? 0 : bias[static_cast<size_t>(n)];
      out[b * N + n] = base + dot_i16(&x[static_cast<size_t>(b * K)], &w[static_cast<size_t>(n * K)], K);
    }
  }
  return out;
}

TensorI8 fully_connected(const TensorI8& input, const TensorI8& weights, const std::vector<int32_t>& bias,
                         int32_t input_zero_point, const Requant& rq) {
  const TensorI32 acc = fc_acc(input, weights, bias, input_zero_point);
  const int64_t N = acc.shape[1];
  check_requant(rq, N, "fully_connected");
  TensorI8 out(acc.shape);
  for (int64_t i = 0; i < acc.size(); ++i) out[i] = requantize(acc[i], rq, i % N);
  return out;
}

}  // namespace npusim::quant
