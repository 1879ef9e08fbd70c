// Golden int8 ADD (TFLite reference AddElementwise), hand-checked.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/add.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("make_add_params follows TFLite's Prepare", "[quant][add]") {
  // s1 = 0.5, s2 = 0.25, s_out = 1: twice_max = 1.0, in1 = 0.5 -> (2^30, 0), in2 = 0.25 -> (2^30, -1),
  // out = 1 / (2^20 * 1) = 0.5 * 2^-19 -> (2^30, -19).
  const AddParams p = make_add_params(0.5, 3, 0.25, -2, 1.0, 5, 8);
  CHECK(p.in1_zp == 3);
  CHECK(p.in2_zp == -2);
  CHECK(p.out_zp == 5);
  CHECK(p.left_shift == 20);
  CHECK(p.in1_mult == (1 << 30));
  CHECK(p.in1_shift == 0);
  CHECK(p.in2_mult == (1 << 30));
  CHECK(p.in2_shift == -1);
  CHECK(p.out_mult == (1 << 30));
  CHECK(p.out_shift == -19);
  CHECK(p.act_min == -128);
  CHECK(p.act_max == 127);
  const AddParams p4 = make_add_params(0.5, 0, 0.25, 0, 1.0, 0, 4);
  CHECK(p4.act_min == -8);
  CHECK(p4.act_max == 7);
}

TEST_CASE("add by hand", "[quant][add]") {
  const AddParams p = make_add_params(0.5, 0, 0.25, 0, 1.0, 0, 8);
  // a = 10, b = 6: 10 << 20 scaled by 0.5 = 5 * 2^20; 6 << 20 scaled by 0.25 = 1.5 * 2^20;
  // sum 6.5 * 2^20, times 2^-20 = 6.5 -> 7 (the final rounding shift rounds half away from zero).
  CHECK(add_element(10, 6, p) == 7);
  CHECK(add_element(-10, -6, p) == -7);  // -6.5 -> -7
  CHECK(add_element(10, -6, p) == 4);    // 5 - 1.5 = 3.5 -> 4
  CHECK(add_element(-10, 6, p) == -4);   // -3.5 -> -4
  CHECK(add_element(0, 0, p) == 0);
  CHECK(add_element(127, 127, p) == 95);     // 63.5 + 31.75 = 95.25
  CHECK(add_element(-128, -128, p) == -96);  // -64 - 32

  // Zero points: a = 13 (zp 3 -> 10), b = 4 (zp -2 -> 6): 6.5 -> 7, plus out zp 5 = 12.
  const AddParams pz = make_add_params(0.5, 3, 0.25, -2, 1.0, 5, 8);
  CHECK(add_element(13, 4, pz) == 12);

  // Saturation: s_out = 0.5 doubles the result. 95.25 * 2 = 190.5 -> 127; -96 * 2 = -192 -> -128.
  const AddParams ps = make_add_params(0.5, 0, 0.25, 0, 0.5, 0, 8);
  CHECK(ps.out_shift == -18);
  CHECK(add_element(127, 127, ps) == 127);
  CHECK(add_element(-128, -128, ps) == -128);
  CHECK(add_element(3, 2, ps) == 4);  // (1.5 + 0.5) * 2 = 4
  // INT4 range.
  const AddParams p4 = make_add_params(0.5, 0, 0.25, 0, 0.5, 0, 4);
  CHECK(add_element(7, 7, p4) == 7);    // (3.5 + 1.75) * 2 = 10.5 -> 7
  CHECK(add_element(-8, -8, p4) == -8); // -12 -> -8

  // Tensor form.
  TensorI8 a({2, 2}), b({2, 2});
  a.data = {10, -10, 10, -10};
  b.data = {6, -6, -6, 6};
  CHECK(add(a, b, p).data == std::vector<int8_t>{7, -7, 4, -4});
}

TEST_CASE("add tracks real arithmetic for arbitrary scales", "[quant][add]") {
  const double s1 = 0.0213, s2 = 0.0371, so = 0.05;
  const int32_t z1 = -12, z2 = 7, zo = 3;
  const AddParams p = make_add_params(s1, z1, s2, z2, so, zo, 8);
  Rng rng(7, "add");
  for (int i = 0; i < 5000; ++i) {
    const auto a = static_cast<int8_t>(rng.uniform(-128, 127));
    const auto b = static_cast<int8_t>(rng.uniform(-128, 127));
    const double real = (s1 * (a - z1) + s2 * (b - z2)) / so + zo;
    const double expect = std::min(127.0, std::max(-128.0, std::round(real)));
    INFO("a " << int(a) << " b " << int(b) << " real " << real);
    CHECK(std::abs(add_element(a, b, p) - expect) <= 1.0);
  }
}

TEST_CASE("add rejects bad parameters", "[quant][add]") {
  CHECK_THROWS_AS(make_add_params(0.0, 0, 0.5, 0, 1.0, 0, 8), InputError);
  CHECK_THROWS_AS(make_add_params(0.5, 0, -0.5, 0, 1.0, 0, 8), InputError);
  // Output scale so small that the output multiplier would be >= 1.
  CHECK_THROWS_AS(make_add_params(1.0, 0, 1.0, 0, 1e-7, 0, 8), InputError);
  const AddParams p = make_add_params(0.5, 0, 0.25, 0, 1.0, 0, 8);
  CHECK_THROWS_AS(add(TensorI8({2, 2}), TensorI8({4}), p), InputError);
}
