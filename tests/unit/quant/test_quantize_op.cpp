// Golden QUANTIZE (float -> int8, int8 -> int8) and DEQUANTIZE.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/quant/quantize_op.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("float -> int8 rounds half away from zero in float32", "[quant][quantize]") {
  CHECK(quantize_float(2.5f, 1.0f, 0) == 3);  // not banker's rounding
  CHECK(quantize_float(-2.5f, 1.0f, 0) == -3);
  CHECK(quantize_float(0.26f, 0.1f, -128) == -125);
  CHECK(quantize_float(1000.0f, 0.1f, 0) == 127);
  CHECK(quantize_float(-1e30f, 1e-10f, 0) == -128);  // far beyond int32: saturates
  CHECK(quantize_float(std::nanf(""), 1.0f, 5) == -128);
  // 1 / 0.4f is 2.5 in float32 (reference kernel: 3) but 2.49999996 in double (builtin: 2).
  CHECK(quantize_float(1.0f, 0.4f, 0) == 3);
  CHECK(quantize_float(1.0f, 0.4f, 0, true) == 2);
  CHECK(quantize_floats({0.0f, 0.1f, -0.1f}, 0.1f, 1) == std::vector<int8_t>{1, 2, 0});
}

TEST_CASE("int8 -> int8 requantization", "[quant][quantize]") {
  // in scale 0.5 -> out scale 1: x / 2 with gemmlowp ties (toward +inf at the high multiply).
  const RequantizeParams p = make_requantize_params(0.5f, 0, 1.0f, 0);
  TensorI8 x({4});
  x.data = {3, -3, 5, -128};
  // 1.5 -> 2, -1.5 -> -1 (not -2), 2.5 -> 3, -64.
  CHECK(requantize_int8(x, p).data == std::vector<int8_t>{2, -1, 3, -64});
  const RequantizeParams q = make_requantize_params(1.0f, 10, 0.25f, -20);
  x.data = {10, 11, 50, -128};
  // (x - 10) * 4 - 20, clamped.
  CHECK(requantize_int8(x, q).data == std::vector<int8_t>{-20, -16, 127, -128});
}

TEST_CASE("int8 -> float dequantization", "[quant][quantize]") {
  const std::vector<float> y = dequantize_int8({13, 3, -128}, 0.1f, 3);
  CHECK(y[0] == static_cast<float>(static_cast<double>(0.1f) * 10));
  CHECK(y[1] == 0.0f);
  CHECK(y[2] == static_cast<float>(static_cast<double>(0.1f) * -131));
}
