#pragma once
// Golden int8 elementwise SUB and MUL and the broadcasting forms of ADD / SUB / MUL, bit-exact with
// TFLite's reference kernels (reference/sub.h SubElementwise / BroadcastQuantSubSlow,
// reference/integer_ops/add.h AddFunc / BroadcastAdd6DSlow, reference/integer_ops/mul.h
// MulElementwise / BroadcastMul6DSlow). Broadcasting follows broadcast.h; equal shapes take the
// plain elementwise path, which gives the same values.
#include <cstdint>

#include "sim/common/tensor.h"
#include "sim/quant/add.h"

namespace npusim::quant {

// SUB uses ADD's parameter set (TFLite's ArithmeticParams with left_shift 20).
using SubParams = AddParams;

// SUB's Prepare (sub.cc PrepareGeneralSubOp) from float32 scales: the same multipliers as ADD, but an
// output multiplier above 1 is allowed by TFLite there (QuantizeMultiplierGreaterThanOne) and then
// fed to a right-shift-only multiply that cannot take it; that case throws InputError here.
// act range = full int8 (set act_min / act_max from activation_range_quantized for a fused one).
SubParams make_sub_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out);

int8_t sub_element(int8_t a, int8_t b, const SubParams& p);

// a - b, a + b with broadcasting. Throws InputError on shapes that do not broadcast or bad params.
TensorI8 sub(const TensorI8& a, const TensorI8& b, const SubParams& p);
TensorI8 add_broadcast(const TensorI8& a, const TensorI8& b, const AddParams& p);

struct MulParams {
  int32_t in1_zp = 0, in2_zp = 0, out_zp = 0;
  int32_t out_mult = 0;
  int out_shift = 0;
  int32_t act_min = -128, act_max = 127;
};

// mul.cc Prepare: real = s1 * s2 / s_out evaluated in float32 (the scales' type), then
// QuantizeMultiplier (any shift). Throws InputError for non-positive scales or a shift above 30.
MulParams make_mul_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out);

// clamp(out_zp + MultiplyByQuantizedMultiplier((a - zp1) * (b - zp2), m, shift)).
int8_t mul_element(int8_t a, int8_t b, const MulParams& p);
TensorI8 mul(const TensorI8& a, const TensorI8& b, const MulParams& p);

}  // namespace npusim::quant
