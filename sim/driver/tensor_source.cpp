#include "sim/driver/tensor_source.h"

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/npy.h"
#include "sim/quant/requant.h"
#include "sim/quant/tensor_gen.h"

namespace npusim {

std::string layer_where(const Layer& l) {
  return (l.source.empty() ? l.name : l.source) + ": layer '" + l.name + "'";
}

TensorI8 load_or_generate(const std::string& file, std::vector<int64_t> shape, int bits, double density,
                          uint64_t seed, const std::string& stream, const Layer& l, const char* what) {
  if (file.empty()) {
    Rng rng(seed, stream);
    return quant::random_tensor(std::move(shape), bits, density, rng);
  }
  TensorI8 t = quant::read_npy_i8(file);
  if (t.shape != shape)
    throw InputError(file + ": " + what + " of " + layer_where(l) + " must have shape " + quant::shape_str(shape) +
                     ", file has " + quant::shape_str(t.shape));
  const auto [lo, hi] = quant::int_range(bits);
  for (int64_t i = 0; i < t.size(); ++i)
    if (t[i] < lo || t[i] > hi)
      throw InputError(file + ": value " + std::to_string(t[i]) + " at index " + std::to_string(i) +
                       " is outside the " + std::to_string(bits) + "-bit range of " + what);
  return t;
}

}  // namespace npusim
