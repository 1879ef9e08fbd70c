#include "sim/quant/requant.h"

#include <tuple>

#include "sim/common/error.h"

namespace npusim::quant {

std::pair<int32_t, int32_t> int_range(int bits) {
  if (bits < 2 || bits > 8) {
    throw InputError("unsupported operand bit width " + std::to_string(bits) + " (expected 2..8)");
  }
  const int32_t half = int32_t{1} << (bits - 1);
  return {-half, half - 1};
}

Requant make_requant(const std::vector<double>& real_multipliers, int32_t output_zero_point, int bits,
                     Rounding rounding) {
  if (real_multipliers.empty()) throw InputError("make_requant: no multipliers given");
  Requant rq;
  rq.output_zero_point = output_zero_point;
  rq.multiplier.resize(real_multipliers.size());
  rq.shift.resize(real_multipliers.size());
  rq.rounding = rounding;
  for (size_t i = 0; i < real_multipliers.size(); ++i) {
    quantize_multiplier(real_multipliers[i], &rq.multiplier[i], &rq.shift[i], rounding);
  }
  std::tie(rq.act_min, rq.act_max) = int_range(bits);
  return rq;
}

void check_requant(const Requant& rq, int64_t channels, const std::string& what) {
  const auto n = static_cast<int64_t>(rq.multiplier.size());
  if (n == 0 || rq.shift.size() != rq.multiplier.size()) {
    throw InputError(what + ": requant has " + std::to_string(n) + " multipliers and " +
                     std::to_string(rq.shift.size()) + " shifts (expected equal, non-zero)");
  }
  if (n != 1 && n != channels) {
    throw InputError(what + ": requant has " + std::to_string(n) + " multipliers for " +
                     std::to_string(channels) + " output channels (expected 1 or " +
                     std::to_string(channels) + ")");
  }
  for (int s : rq.shift) {
    if (s < -31 || s > 30) {
      throw InputError(what + ": requant shift " + std::to_string(s) + " outside [-31, 30]");
    }
  }
  if (rq.act_min > rq.act_max || rq.act_min < -128 || rq.act_max > 127) {
    throw InputError(what + ": activation range [" + std::to_string(rq.act_min) + ", " +
                     std::to_string(rq.act_max) + "] is empty or outside int8");
  }
}

}  // namespace npusim::quant
