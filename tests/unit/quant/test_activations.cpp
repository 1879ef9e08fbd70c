// Golden standalone activations (LOGISTIC / TANH tables, RELU family) and the fused activation range.
#include <catch2/catch.hpp>
#include <limits>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/activation_range.h"
#include "sim/quant/activations.h"

using namespace npusim;
using namespace npusim::quant;

namespace {
int8_t at(const Lut8& lut, int q) {
  return lut[static_cast<uint8_t>(static_cast<int8_t>(q))];
}
}  // namespace

TEST_CASE("logistic table (LUTPopulate in float32)", "[quant][activations]") {
  const Lut8 lut = logistic_lut_int8(1.0f / 16, 0, 1.0f / 256, -128);
  CHECK(at(lut, 0) == 0);      // sigmoid(0) = 0.5 -> 128 - 128
  CHECK(at(lut, 16) == 59);    // sigmoid(1) = 0.7311 -> 187.15 -> 187 - 128
  CHECK(at(lut, -16) == -59);  // 0.2689 -> 68.85 -> 69 - 128
  CHECK(at(lut, -128) == -128);
  CHECK(at(lut, 127) == 127);  // 0.99966 * 256 = 255.9 -> 256 - 128 = 128, clamped
  CHECK_THROWS_AS(logistic_lut_int8(0.1f, 0, 1.0f / 128, 0), InputError);  // TFLite requires 1/256
  TensorI8 x({3});
  x.data = {0, 16, -16};
  CHECK(apply_lut(x, lut).data == std::vector<int8_t>{0, 59, -59});
}

TEST_CASE("tanh table", "[quant][activations]") {
  const Lut8 lut = tanh_lut_int8(1.0f / 16, 0, 1.0f / 128, 0);
  CHECK(at(lut, 0) == 0);
  CHECK(at(lut, 16) == 97);  // tanh(1) * 128 = 97.48
  CHECK(at(lut, -16) == -97);
  CHECK(at(lut, 127) == 127);  // 0.9999997 * 128 rounds to 128, clamped
  CHECK(at(lut, -128) == -128);
  // Zero points on both sides: q = input zp is tanh(0) = 0, i.e. the output zero point.
  const Lut8 shifted = tanh_lut_int8(0.05f, 10, 1.0f / 128, -3);
  CHECK(at(shifted, 10) == -3);
}

TEST_CASE("relu family: requantize, then clamp to the quantized bounds", "[quant][activations]") {
  const float inf = std::numeric_limits<float>::infinity();
  // in: scale 0.5, zp -10; out: scale 0.25, zp 5 -> multiplier 2.
  const ReluParams relu = make_relu_params(0.5f, -10, 0.25f, 5, 0.0f, inf);
  CHECK(relu.act_min == 5);
  CHECK(relu.act_max == 127);
  TensorI8 x({5});
  x.data = {-10, 0, -20, 50, 127};
  // (q + 10) * 2 + 5, at least 5: 5, 25, 5 (clamped from -15), 125, 279 -> 127.
  CHECK(relu_int8(x, relu).data == std::vector<int8_t>{5, 25, 5, 125, 127});
  const ReluParams relu6 = make_relu_params(0.5f, -10, 0.25f, 5, 0.0f, 6.0f);
  CHECK(relu6.act_max == 29);  // 5 + round(6 / 0.25)
  CHECK(relu_int8(x, relu6).data == std::vector<int8_t>{5, 25, 5, 29, 29});
  // Multiplier ties round toward +inf (gemmlowp): in scale 1, out scale 2 -> x / 2.
  const ReluParams half = make_relu_params(1.0f, 0, 2.0f, 0, -1.0f, 1.0f);
  TensorI8 y({4});
  y.data = {1, -1, 3, -3};
  // 0.5 -> 1, -0.5 -> 0, 1.5 -> 2 clamped to 1 (round(1 / 2) = 1), -1.5 -> -1; act range [-1, 1]
  CHECK(relu_int8(y, half).data == std::vector<int8_t>{1, 0, 1, -1});
}

TEST_CASE("fused activation range as CalculateActivationRangeQuantized", "[quant][activations]") {
  using FA = FusedActivation;
  CHECK(activation_range_quantized(FA::None, 0.1f, 3) == std::pair<int32_t, int32_t>{-128, 127});
  CHECK(activation_range_quantized(FA::Relu, 0.1f, 3) == std::pair<int32_t, int32_t>{3, 127});
  CHECK(activation_range_quantized(FA::Relu6, 0.1f, -128) == std::pair<int32_t, int32_t>{-128, -68});
  CHECK(activation_range_quantized(FA::Relu6, 0.01f, -128) == std::pair<int32_t, int32_t>{-128, 127});
  // 1 / 0.4f is 2.49999996 in double but rounds to exactly 2.5 in float32, so TFLite's bounds are
  // +-3 (half away from zero), where a double computation would give +-2.
  CHECK(activation_range_quantized(FA::ReluN1To1, 0.4f, 0) == std::pair<int32_t, int32_t>{-3, 3});
  CHECK_THROWS_AS(activation_range_quantized(FA::Relu6, 1e-30f, 0), InputError);
}
