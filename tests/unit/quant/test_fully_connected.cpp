// Golden fully-connected layer, hand-computed.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/common/error.h"
#include "sim/quant/fully_connected.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("fc_acc and fully_connected by hand", "[quant][fc]") {
  // batch 2, K = 3 input features, N = 2 outputs, input zero point 1.
  TensorI8 x({2, 3});
  x.data = {2, 0, -1,  //  u = x - 1 = [1, -1, -2]
            5, 1, 3};  //  u         = [4,  0,  2]
  TensorI8 w({2, 3});
  w.data = {1, 2, 3,    // n = 0
            -1, 0, 4};  // n = 1
  const std::vector<int32_t> bias = {100, -7};
  // [0][0] = 100 + 1*1 + (-1)*2 + (-2)*3 = 93      [0][1] = -7 + 1*(-1) + (-1)*0 + (-2)*4 = -16
  // [1][0] = 100 + 4*1 + 0*2 + 2*3      = 110     [1][1] = -7 + 4*(-1) + 0*0 + 2*4       = -3
  const TensorI32 acc = fc_acc(x, w, bias, 1);
  CHECK(acc.shape == std::vector<int64_t>{2, 2});
  CHECK(acc.data == std::vector<int32_t>{93, -16, 110, -3});
  CHECK(fc_acc(x, w, {}, 1).data == std::vector<int32_t>{-7, -9, 10, 4});

  // Per-channel: n = 0 scales by 0.5, n = 1 by 0.25.
  // 46.5 -> 47; -16 * 0.25 = -4; 55; -0.75: SRDHM(-3, 0.5) = -1.5 -> -1, then -1 / 2 = -0.5 -> -1.
  Requant rq;
  rq.multiplier = {1 << 30, 1 << 30};
  rq.shift = {0, -1};
  CHECK(fully_connected(x, w, bias, 1, rq).data == std::vector<int8_t>{47, -4, 55, -1});
  rq.output_zero_point = 100;  // 147 and 155 saturate
  CHECK(fully_connected(x, w, bias, 1, rq).data == std::vector<int8_t>{127, 96, 127, 99});
}

TEST_CASE("fully_connected rejects mismatched operands", "[quant][fc]") {
  const TensorI8 x({2, 3});
  CHECK_THROWS_AS(fc_acc(x, TensorI8({2, 4}), {}, 0), InputError);
  CHECK_THROWS_AS(fc_acc(TensorI8({3}), TensorI8({2, 3}), {}, 0), InputError);
  CHECK_THROWS_AS(fc_acc(x, TensorI8({2, 3}), {1, 2, 3}, 0), InputError);
  CHECK_THROWS_AS(fc_acc(x, TensorI8({2, 3}), {}, -129), InputError);
  // 128 * 255 * 70000 > INT32_MAX: the accumulator could overflow.
  TensorI8 big_x({1, 70000}, int8_t{127});
  TensorI8 big_w({1, 70000}, int8_t{-128});
  CHECK_THROWS_WITH(fc_acc(big_x, big_w, {}, -128), Catch::Contains("overflow"));
}
