#include "sim/quant/accumulate.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "sim/common/error.h"

namespace npusim::quant {

void check_input_zero_point(int32_t input_zero_point, const std::string& what) {
  if (input_zero_point < -128 || input_zero_point > 127) {
    throw InputError(what + ": input zero point " + std::to_string(input_zero_point) +
                     " outside int8 range [-128, 127]");
  }
}

void check_acc_range(const TensorI8& input, int32_t input_zero_point, const TensorI8& weights,
                     const std::vector<int32_t>& bias, int64_t reduction, const std::string& what) {
  int64_t max_x = 0, max_w = 0, max_b = 0;
  for (int8_t x : input.data) max_x = std::max<int64_t>(max_x, std::llabs(int64_t{x} - input_zero_point));
  for (int8_t w : weights.data) max_w = std::max<int64_t>(max_w, std::llabs(int64_t{w}));
  for (int32_t b : bias) max_b = std::max<int64_t>(max_b, std::llabs(int64_t{b}));
  const int64_t bound = reduction * max_x * max_w + max_b;
  if (bound > std::numeric_limits<int32_t>::max()) {
    throw InputError(what + ": int32 accumulator could overflow (reduction " + std::to_string(reduction) +
                     ", |x - zp| <= " + std::to_string(max_x) + ", |w| <= " + std::to_string(max_w) +
                     ", |bias| <= " + std::to_string(max_b) + ")");
  }
}

std::string shape_str(const std::vector<int64_t>& shape) {
  if (shape.empty()) return "[]";
  std::string s;
  for (int64_t d : shape) s += "[" + std::to_string(d) + "]";
  return s;
}

}  // namespace npusim::quant
