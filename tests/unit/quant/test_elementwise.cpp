// Golden int8 SUB / MUL and broadcasting ADD / SUB / MUL (TFLite reference semantics).
#include <catch2/catch.hpp>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/broadcast.h"
#include "sim/quant/elementwise.h"
#include "sim/quant/fixed_point.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("broadcast shapes and indices", "[quant][elementwise]") {
  CHECK(broadcast_shape({2, 1, 3}, {4, 1}, "t") == std::vector<int64_t>{2, 4, 3});
  CHECK(broadcast_shape({1, 5, 5, 8}, {8}, "t") == std::vector<int64_t>{1, 5, 5, 8});
  CHECK_THROWS_AS(broadcast_shape({2, 3}, {3, 2}, "t"), InputError);
  CHECK_THROWS_AS(broadcast_shape({1, 1, 1, 1, 1, 1, 1}, {1}, "t"), InputError);
  std::vector<int64_t> shape, ia, ib;
  broadcast_indices({2, 1}, {3}, "t", &shape, &ia, &ib);
  CHECK(shape == std::vector<int64_t>{2, 3});
  CHECK(ia == std::vector<int64_t>{0, 0, 0, 1, 1, 1});
  CHECK(ib == std::vector<int64_t>{0, 1, 2, 0, 1, 2});
}

TEST_CASE("SUB with unit scales", "[quant][elementwise]") {
  // Scales 1: inputs scaled by 0.5 after << 20, output by 2 / 2^20.
  const SubParams p = make_sub_params(1.0f, 0, 1.0f, 0, 1.0f, 0);
  CHECK(p.in1_mult == 1 << 30);
  CHECK(p.in1_shift == 0);
  CHECK(p.out_mult == 1 << 30);
  CHECK(p.out_shift == -18);
  CHECK(sub_element(5, 3, p) == 2);
  CHECK(sub_element(3, 5, p) == -2);
  CHECK(sub_element(-128, 127, p) == -128);  // -255 saturates
  CHECK(sub_element(127, -128, p) == 127);
  CHECK_THROWS_AS(make_sub_params(1.0f, 0, 1.0f, 0, 1e-7f, 0), InputError);  // output multiplier > 1
}

TEST_CASE("SUB: zero points and rounding of the output rescale", "[quant][elementwise]") {
  // in1 (0.5, zp 4), in2 (0.25, zp -2), out (1.0, zp 1): real a - b = 0.5 (a - 4) - 0.25 (b + 2).
  const SubParams p = make_sub_params(0.5f, 4, 0.25f, -2, 1.0f, 1);
  // a = 9, b = 0: 2.5 - 0.5 = 2 -> 3 with zp.
  CHECK(sub_element(9, 0, p) == 3);
  // a = 5, b = 0: 0.5 - 0.5 = 0 -> 1.
  CHECK(sub_element(5, 0, p) == 1);
  // a = 5, b = -4: 0.5 + 0.5 = 1 -> 2; a = 4, b = -4: 0 + 0.5 = 0.5 -> rounds up to 1 -> 2.
  CHECK(sub_element(5, -4, p) == 2);
  CHECK(sub_element(4, -4, p) == 2);
  // a = 4, b = 0: -0.5 -> gemmlowp rounds the tie away from zero in the final shift -> -1 + 1 = 0.
  CHECK(sub_element(4, 0, p) == 0);
}

TEST_CASE("SUB and ADD broadcast", "[quant][elementwise]") {
  const SubParams p = make_sub_params(1.0f, 0, 1.0f, 0, 1.0f, 0);
  TensorI8 a({2, 3}), b({3});
  a.data = {10, 20, 30, 40, 50, 60};
  b.data = {1, 2, 3};
  const TensorI8 d = sub(a, b, p);
  CHECK(d.shape == std::vector<int64_t>{2, 3});
  CHECK(d.data == std::vector<int8_t>{9, 18, 27, 39, 48, 57});
  const TensorI8 r = sub(b, a, p);  // the broadcast operand may be either one
  CHECK(r.data == std::vector<int8_t>{-9, -18, -27, -39, -48, -57});
  AddParams ap = make_add_params(1.0, 0, 1.0, 0, 1.0, 0, 8);
  CHECK(add_broadcast(a, b, ap).data == std::vector<int8_t>{11, 22, 33, 41, 52, 63});
  TensorI8 c({2, 2});
  CHECK_THROWS_AS(sub(a, c, p), InputError);
}

TEST_CASE("MUL: the multiplier is computed in float32", "[quant][elementwise]") {
  // 0.5 * 0.5 / (1/16) = 4 = 0.5 * 2^3.
  const MulParams p = make_mul_params(0.5f, 1, 0.5f, -1, 1.0f / 16, 3);
  CHECK(p.out_mult == 1 << 30);
  CHECK(p.out_shift == 3);
  CHECK(mul_element(3, 5, p) == 51);  // (3 - 1)(5 + 1) * 4 + 3
  CHECK(mul_element(-128, 127, p) == -128);
  // A product that rounds: scales 0.1 * 0.3 / 0.7 in float32 differs from the double value in the
  // last bits, so the multipliers differ too; TFLite uses the float one.
  const MulParams f = make_mul_params(0.1f, 0, 0.3f, 0, 0.7f, 0);
  int32_t m_double = 0;
  int s_double = 0;
  quantize_multiplier(static_cast<double>(0.1f) * 0.3f / 0.7f, &m_double, &s_double);
  int32_t m_float = 0;
  int s_float = 0;
  quantize_multiplier(static_cast<double>(0.1f * 0.3f / 0.7f), &m_float, &s_float);
  CHECK(f.out_mult == m_float);
  CHECK(f.out_shift == s_float);
  CHECK(m_float != m_double);
  // Broadcasting a per-channel vector over [2][2].
  TensorI8 a({2, 2}), b({2});
  a.data = {1, 2, 3, 4};
  b.data = {-1, 0};
  // (a - 1)(b + 1) * 4 + 3
  CHECK(mul(a, b, p).data == std::vector<int8_t>{3, 7, 3, 15});
}
