#include "sim/quant/add.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/fixed_point.h"
#include "sim/quant/requant.h"

namespace npusim::quant {
namespace {

// TFLite QuantizeMultiplierSmallerThanOneExp: only multipliers in (0, 1), so shift <= 0.
void quantize_smaller_than_one(double real, int32_t* mult, int* shift, const char* which) {
  if (!(real > 0.0 && real < 1.0)) {
    throw InputError(std::string("add: ") + which + " multiplier " + std::to_string(real) +
                     " outside (0, 1) (scales incompatible with TFLite's int8 ADD)");
  }
  quantize_multiplier(real, mult, shift);
}

}  // namespace

int8_t add_element(int8_t a, int8_t b, const AddParams& p) { return add_sub_element(a, b, p, false); }

int8_t add_sub_element(int8_t a, int8_t b, const AddParams& p, bool subtract) {
  // input_offset = -zero_point, as in TFLite's ArithmeticParams.
  const int32_t in1 = static_cast<int32_t>(a) - p.in1_zp;
  const int32_t in2 = static_cast<int32_t>(b) - p.in2_zp;
  const int32_t shifted1 = in1 * (1 << p.left_shift);
  const int32_t shifted2 = in2 * (1 << p.left_shift);
  const int32_t scaled1 = multiply_by_quantized_multiplier(shifted1, p.in1_mult, p.in1_shift);
  const int32_t scaled2 = multiply_by_quantized_multiplier(shifted2, p.in2_mult, p.in2_shift);
  const int32_t raw_sum = subtract ? scaled1 - scaled2 : scaled1 + scaled2;
  const int32_t raw_out = multiply_by_quantized_multiplier(raw_sum, p.out_mult, p.out_shift) + p.out_zp;
  return static_cast<int8_t>(std::clamp(raw_out, p.act_min, p.act_max));
}

TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& p) {
  if (a.shape != b.shape || a.size() != b.size()) {
    throw InputError("add: input shapes " + shape_str(a.shape) + " and " + shape_str(b.shape) + " differ");
  }
  if (p.left_shift < 0 || p.left_shift > 22) {  // (x - zp) spans 9 bits; keep the shift inside int32
    throw InputError("add: left_shift " + std::to_string(p.left_shift) + " outside [0, 22]");
  }
  if (p.in1_shift > 0 || p.in2_shift > 0 || p.out_shift > 0 || p.in1_shift < -31 || p.in2_shift < -31 ||
      p.out_shift < -31) {
    throw InputError("add: multiplier shifts must be in [-31, 0]");
  }
  if (p.act_min > p.act_max || p.act_min < -128 || p.act_max > 127) {
    throw InputError("add: activation range [" + std::to_string(p.act_min) + ", " + std::to_string(p.act_max) +
                     "] is empty or outside int8");
  }
  if (p.in1_zp < -128 || p.in1_zp > 127 || p.in2_zp < -128 || p.in2_zp > 127) {
    throw InputError("add: input zero points must be int8 values");
  }
  TensorI8 out(a.shape);
  for (int64_t i = 0; i < a.size(); ++i) out[i] = add_element(a[i], b[i], p);
  return out;
}

AddParams make_add_params(double s1, int32_t zp1, double s2, int32_t zp2, double s_out, int32_t zp_out, int bits) {
  if (!(s1 > 0.0 && s2 > 0.0 && s_out > 0.0)) {
    throw InputError("add: scales must be positive (got " + std::to_string(s1) + ", " + std::to_string(s2) +
                     ", " + std::to_string(s_out) + ")");
  }
  // TFLite keeps scales as float32; the float arithmetic below mirrors add.cc's Prepare.
  const float f1 = static_cast<float>(s1), f2 = static_cast<float>(s2), fo = static_cast<float>(s_out);
  AddParams p;
  p.in1_zp = zp1;
  p.in2_zp = zp2;
  p.out_zp = zp_out;
  p.left_shift = 20;
  const double twice_max_input_scale = 2 * std::max(f1, f2);
  const double real_in1 = f1 / twice_max_input_scale;
  const double real_in2 = f2 / twice_max_input_scale;
  const double real_out = twice_max_input_scale / ((1 << p.left_shift) * fo);
  quantize_smaller_than_one(real_in1, &p.in1_mult, &p.in1_shift, "input 1");
  quantize_smaller_than_one(real_in2, &p.in2_mult, &p.in2_shift, "input 2");
  quantize_smaller_than_one(real_out, &p.out_mult, &p.out_shift, "output");
  std::tie(p.act_min, p.act_max) = int_range(bits);
  return p;
}

}  // namespace npusim::quant
