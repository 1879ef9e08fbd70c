#pragma once
// Golden int8 elementwise ADD, bit-exact with TFLite's reference AddElementwise: both inputs are
// shifted left by left_shift (headroom so the rescale keeps precision), each is rescaled to the
// common scale 2 * max(s1, s2) / 2^left_shift, summed, then rescaled to the output.
#include <cstdint>

#include "sim/common/tensor.h"

namespace npusim::quant {

struct AddParams {
  int32_t in1_zp = 0, in2_zp = 0, out_zp = 0;
  int left_shift = 20;  // TFLite uses 20 for int8 / uint8
  // Input/output multipliers are < 1, so their shifts are <= 0.
  int32_t in1_mult = 0;
  int in1_shift = 0;
  int32_t in2_mult = 0;
  int in2_shift = 0;
  int32_t out_mult = 0;
  int out_shift = 0;
  int32_t act_min = -128, act_max = 127;
};

// Elementwise a + b (same shape, no broadcasting). Throws InputError on shape mismatch.
TensorI8 add(const TensorI8& a, const TensorI8& b, const AddParams& p);

// One element of add(); exposed for testing and for the vector-unit model.
int8_t add_element(int8_t a, int8_t b, const AddParams& p);
// a + b, or a - b with `subtract`: TFLite's AddElementwise and SubElementwise share everything but the sign.
int8_t add_sub_element(int8_t a, int8_t b, const AddParams& p, bool subtract);

// Multipliers as TFLite's Prepare computes them (twice_max_input_scale = 2 * max(s1, s2);
// in_i = s_i / twice_max; out = twice_max / (2^left_shift * s_out)). Scales are rounded to float32
// first, as TFLite stores them. act range = signed `bits` range. Throws InputError for
// non-positive scales or an output multiplier >= 1 (output scale too small for the inputs').
AddParams make_add_params(double s1, int32_t zp1, double s2, int32_t zp2, double s_out, int32_t zp_out, int bits);

}  // namespace npusim::quant
