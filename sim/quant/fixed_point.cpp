#include "sim/quant/fixed_point.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/common/error.h"

namespace npusim::quant {

const char* rounding_name(Rounding r) {
  return r == Rounding::Single ? "single" : "double";
}

Rounding parse_rounding(const std::string& name) {
  if (name == "double") return Rounding::Double;
  if (name == "single") return Rounding::Single;
  throw InputError("unknown rounding '" + name + "' (expected double or single)");
}

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  // Nudge by (almost) half before the truncating division: rounds to nearest, ties toward +inf.
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  const int32_t ab_x2_high32 = static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
  return overflow ? std::numeric_limits<int32_t>::max() : ab_x2_high32;
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent < 0 || exponent > 31) {
    // A caller bug (quantize_multiplier never produces such a shift), not bad input.
    throw std::invalid_argument("rounding_divide_by_pot: exponent " + std::to_string(exponent) +
                                " outside [0, 31]");
  }
  // 64-bit so exponent 31 does not overflow the mask.
  const int64_t mask = (int64_t{1} << exponent) - 1;
  const int64_t remainder = static_cast<int64_t>(x) & mask;
  // Negative values need a remainder strictly above half to round up (toward zero), which
  // together with the floor of >> yields round-half-away-from-zero.
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<int32_t>((static_cast<int64_t>(x) >> exponent) + (remainder > threshold ? 1 : 0));
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  // TFLite computes x * (1 << left_shift) in int32; do it unsigned so overflow wraps (two's
  // complement) instead of being undefined behaviour.
  const int32_t shifted =
      static_cast<int32_t>(static_cast<uint32_t>(x) << static_cast<uint32_t>(left_shift));
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift, Rounding rounding) {
  if (rounding == Rounding::Double) return multiply_by_quantized_multiplier(x, multiplier, shift);
  if (shift < -31 || shift > 30) {
    throw std::invalid_argument("multiply_by_quantized_multiplier: single-rounding shift " +
                                std::to_string(shift) + " outside [-31, 30]");
  }
  const int total_shift = 31 - shift;  // in [1, 62]
  const int64_t round = int64_t{1} << (total_shift - 1);
  // |x * multiplier| < 2^62, so adding the rounding term cannot overflow int64.
  const int64_t result = (static_cast<int64_t>(x) * multiplier + round) >> total_shift;
  return static_cast<int32_t>(
      std::clamp<int64_t>(result, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
}

void quantize_multiplier(double real, int32_t* multiplier, int* shift, Rounding rounding) {
  quantize_multiplier(real, multiplier, shift);
  if (rounding == Rounding::Single && *shift > 30) {
    *shift = 30;
    *multiplier = std::numeric_limits<int32_t>::max();
  }
}

void quantize_multiplier(double real, int32_t* multiplier, int* shift) {
  if (!std::isfinite(real)) {
    throw InputError("quantize_multiplier: non-finite multiplier " + std::to_string(real));
  }
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = std::frexp(real, &exponent);  // real = q * 2^exponent, |q| in [0.5, 1)
  auto q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // q rounded up to 1.0: renormalise to 0.5 * 2^(e+1)
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {  // every bit would be shifted out anyway
    exponent = 0;
    q_fixed = 0;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

}  // namespace npusim::quant
