#include "sim/quant/activation_range.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "sim/common/error.h"

namespace npusim::quant {
namespace {

// kernel_util.cc Quantize(): TfLiteRound(f / scale) in float, checked against the int32 range.
int32_t quantize_bound(float scale, int32_t zero_point, float f) {
  const float tmp = std::round(f / scale);
  if (!(tmp >= static_cast<float>(std::numeric_limits<int32_t>::min()) &&
        tmp <= static_cast<float>(std::numeric_limits<int32_t>::max()))) {
    throw InputError("activation range: bound " + std::to_string(f) + " / scale " + std::to_string(scale) +
                     " overflows int32");
  }
  return zero_point + static_cast<int32_t>(tmp);
}

}  // namespace

std::pair<int32_t, int32_t> activation_range_quantized(FusedActivation act, float scale, int32_t zero_point,
                                                       int32_t qmin, int32_t qmax) {
  switch (act) {
    case FusedActivation::Relu:
      return {std::max(qmin, quantize_bound(scale, zero_point, 0.0f)), qmax};
    case FusedActivation::Relu6:
      return {std::max(qmin, quantize_bound(scale, zero_point, 0.0f)),
              std::min(qmax, quantize_bound(scale, zero_point, 6.0f))};
    case FusedActivation::ReluN1To1:
      return {std::max(qmin, quantize_bound(scale, zero_point, -1.0f)),
              std::min(qmax, quantize_bound(scale, zero_point, 1.0f))};
    case FusedActivation::None:
      break;
  }
  return {qmin, qmax};
}

}  // namespace npusim::quant
