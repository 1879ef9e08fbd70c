#include "sim/quant/tensor_gen.h"

#include <string>

#include "sim/common/error.h"
#include "sim/quant/requant.h"

namespace npusim::quant {

TensorI8 random_tensor(std::vector<int64_t> shape, int bits, double density, Rng& rng) {
  if (!(density >= 0.0 && density <= 1.0)) {  // written this way so NaN is rejected too
    throw InputError("random_tensor: density " + std::to_string(density) + " outside [0, 1]");
  }
  for (int64_t d : shape) {
    if (d < 0) throw InputError("random_tensor: negative dimension " + std::to_string(d));
  }
  const auto [lo, hi] = int_range(bits);
  TensorI8 t(std::move(shape));
  for (auto& v : t.data) {
    if (!rng.bernoulli(density)) continue;  // stays 0
    // Draw from the hi - lo non-zero values, then skip over 0.
    const int64_t x = rng.uniform(lo, hi - 1);
    v = static_cast<int8_t>(x >= 0 ? x + 1 : x);
  }
  return t;
}

}  // namespace npusim::quant
