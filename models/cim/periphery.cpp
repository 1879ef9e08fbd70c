#include "models/cim/periphery.h"

#include <algorithm>
#include <limits>

#include "sim/quant/fixed_point.h"

namespace npusim::cim {
namespace {
int32_t sat32(int64_t v) {
  return static_cast<int32_t>(
      std::clamp<int64_t>(v, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
}
}  // namespace

int32_t periphery_accumulator(int32_t code_sum, const ChannelParams& ch) {
  const int64_t scaled = (static_cast<int64_t>(code_sum) * ch.m + (int64_t{1} << (kPeripheryFracBits - 1))) >>
                         kPeripheryFracBits;
  return sat32(static_cast<int64_t>(sat32(scaled)) + ch.bias);
}

int8_t periphery_output(int32_t code_sum, const ChannelParams& ch, const OutputParams& out) {
  const int32_t acc = periphery_accumulator(code_sum, ch);
  const int64_t y =
      static_cast<int64_t>(quant::multiply_by_quantized_multiplier(acc, ch.qmult, ch.qshift)) + out.out_zp;
  return static_cast<int8_t>(std::clamp<int64_t>(y, out.act_min, out.act_max));
}

}  // namespace npusim::cim
