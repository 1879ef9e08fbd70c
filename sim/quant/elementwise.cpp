#include "sim/quant/elementwise.h"

#include <algorithm>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/broadcast.h"
#include "sim/quant/fixed_point.h"

namespace npusim::quant {
namespace {

void check_zero_points(int32_t zp1, int32_t zp2, int32_t zp_out, const char* what) {
  for (int32_t zp : {zp1, zp2, zp_out}) {
    if (zp < -128 || zp > 127) {
      throw InputError(std::string(what) + ": zero point " + std::to_string(zp) + " outside int8");
    }
  }
}

void check_act(int32_t act_min, int32_t act_max, const char* what) {
  if (act_min > act_max || act_min < -128 || act_max > 127) {
    throw InputError(std::string(what) + ": activation range [" + std::to_string(act_min) + ", " +
                     std::to_string(act_max) + "] is empty or outside int8");
  }
}

// The shared checks of ADD and SUB parameters (both use right-shift-only multipliers).
void check_arith(const AddParams& p, const char* what) {
  check_zero_points(p.in1_zp, p.in2_zp, p.out_zp, what);
  check_act(p.act_min, p.act_max, what);
  if (p.left_shift < 0 || p.left_shift > 22) {
    throw InputError(std::string(what) + ": left_shift " + std::to_string(p.left_shift) + " outside [0, 22]");
  }
  for (int s : {p.in1_shift, p.in2_shift, p.out_shift}) {
    if (s > 0 || s < -31) throw InputError(std::string(what) + ": multiplier shifts must be in [-31, 0]");
  }
}

}  // namespace

SubParams make_sub_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out) {
  if (!(s1 > 0.0f && s2 > 0.0f && s_out > 0.0f)) throw InputError("sub: scales must be positive");
  SubParams p;
  p.in1_zp = zp1;
  p.in2_zp = zp2;
  p.out_zp = zp_out;
  p.left_shift = 20;
  // sub.cc: twice_max in float (exact), the ratios in double; (1 << 20) * s_out is a float product.
  const double twice_max_input_scale = 2 * std::max(s1, s2);
  const double real_in1 = s1 / twice_max_input_scale;
  const double real_in2 = s2 / twice_max_input_scale;
  const double real_out = twice_max_input_scale / ((1 << p.left_shift) * s_out);
  quantize_multiplier(real_in1, &p.in1_mult, &p.in1_shift);
  quantize_multiplier(real_in2, &p.in2_mult, &p.in2_shift);
  if (real_out > 1) {
    throw InputError("sub: output multiplier " + std::to_string(real_out) +
                     " > 1 (output scale too small for the inputs'; TFLite's int8 SUB cannot apply it)");
  }
  quantize_multiplier(real_out, &p.out_mult, &p.out_shift);
  return p;
}

int8_t sub_element(int8_t a, int8_t b, const SubParams& p) { return add_sub_element(a, b, p, true); }

TensorI8 sub(const TensorI8& a, const TensorI8& b, const SubParams& p) {
  check_arith(p, "sub");
  return broadcast_binary(a, b, "sub", [&](int8_t x, int8_t y) { return sub_element(x, y, p); });
}

TensorI8 add_broadcast(const TensorI8& a, const TensorI8& b, const AddParams& p) {
  check_arith(p, "add");
  return broadcast_binary(a, b, "add", [&](int8_t x, int8_t y) { return add_element(x, y, p); });
}

MulParams make_mul_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out) {
  if (!(s1 > 0.0f && s2 > 0.0f && s_out > 0.0f)) throw InputError("mul: scales must be positive");
  MulParams p;
  p.in1_zp = zp1;
  p.in2_zp = zp2;
  p.out_zp = zp_out;
  const float real = s1 * s2 / s_out;  // float32 arithmetic, as mul.cc writes it
  quantize_multiplier(static_cast<double>(real), &p.out_mult, &p.out_shift);
  if (p.out_shift > 30) throw InputError("mul: output multiplier " + std::to_string(real) + " too large");
  return p;
}

int8_t mul_element(int8_t a, int8_t b, const MulParams& p) {
  const int32_t prod = (int32_t{a} - p.in1_zp) * (int32_t{b} - p.in2_zp);
  const int64_t v = int64_t{p.out_zp} + multiply_by_quantized_multiplier(prod, p.out_mult, p.out_shift);
  return static_cast<int8_t>(std::clamp<int64_t>(v, p.act_min, p.act_max));
}

TensorI8 mul(const TensorI8& a, const TensorI8& b, const MulParams& p) {
  check_zero_points(p.in1_zp, p.in2_zp, p.out_zp, "mul");
  check_act(p.act_min, p.act_max, "mul");
  if (p.out_shift > 30 || p.out_shift < -31) throw InputError("mul: multiplier shift outside [-31, 30]");
  return broadcast_binary(a, b, "mul", [&](int8_t x, int8_t y) { return mul_element(x, y, p); });
}

}  // namespace npusim::quant
