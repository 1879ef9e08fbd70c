// Output requantization and bit-width ranges.
#include <catch2/catch.hpp>

#include <tuple>

#include "sim/common/error.h"
#include "sim/quant/requant.h"

using namespace npusim::quant;

namespace {
constexpr int32_t kHalf = int32_t{1} << 30;  // 0.5 in Q31 with shift 0
}

TEST_CASE("int_range gives the signed range of a bit width", "[quant][requant]") {
  CHECK(int_range(8) == std::pair<int32_t, int32_t>{-128, 127});
  CHECK(int_range(4) == std::pair<int32_t, int32_t>{-8, 7});
  CHECK(int_range(2) == std::pair<int32_t, int32_t>{-2, 1});
  CHECK(int_range(6) == std::pair<int32_t, int32_t>{-32, 31});
  CHECK_THROWS_AS(int_range(1), npusim::InputError);
  CHECK_THROWS_AS(int_range(9), npusim::InputError);
  CHECK_THROWS_WITH(int_range(16), Catch::Contains("16"));
}

TEST_CASE("requantize scales, offsets and saturates", "[quant][requant]") {
  Requant rq;
  rq.output_zero_point = 0;
  rq.multiplier = {kHalf};
  rq.shift = {0};

  CHECK(requantize(20, rq, 0) == 10);
  CHECK(requantize(9, rq, 3) == 5);     // 4.5 -> 5 (per-tensor: any channel uses entry 0)
  CHECK(requantize(-9, rq, 0) == -4);   // -4.5 -> -4: SRDHM ties go toward +inf
  CHECK(requantize(1000, rq, 0) == 127);    // 500 saturates high
  CHECK(requantize(-1000, rq, 0) == -128);  // -500 saturates low
  CHECK(requantize(254, rq, 0) == 127);     // exactly 127
  CHECK(requantize(-256, rq, 0) == -128);   // exactly -128
  CHECK(requantize(2147483647, rq, 0) == 127);
  CHECK(requantize(-2147483647 - 1, rq, 0) == -128);

  rq.output_zero_point = 10;  // 20 * 0.5 + 10
  CHECK(requantize(20, rq, 0) == 20);
  CHECK(requantize(240, rq, 0) == 127);   // 120 + 10 = 130 saturates
  CHECK(requantize(-300, rq, 0) == -128); // -150 + 10 = -140 saturates
  rq.output_zero_point = -128;
  CHECK(requantize(-2, rq, 0) == -128);   // -1 - 128 = -129 clamps to -128

  // INT4 output range [-8, 7].
  rq.output_zero_point = 0;
  std::tie(rq.act_min, rq.act_max) = int_range(4);
  CHECK(requantize(14, rq, 0) == 7);
  CHECK(requantize(16, rq, 0) == 7);    // 8 -> 7
  CHECK(requantize(30, rq, 0) == 7);    // 15 -> 7
  CHECK(requantize(-16, rq, 0) == -8);
  CHECK(requantize(-30, rq, 0) == -8);  // -15 -> -8
  CHECK(requantize(-8, rq, 0) == -4);
  // Fused ReLU-style clamp.
  rq.act_min = 0;
  rq.act_max = 127;
  CHECK(requantize(-30, rq, 0) == 0);
}

TEST_CASE("requantize per output channel", "[quant][requant]") {
  Requant rq;
  rq.multiplier = {kHalf, 1610612736, kHalf};  // 0.5, 0.75, 0.25
  rq.shift = {0, 0, -1};
  CHECK(requantize(100, rq, 0) == 50);
  CHECK(requantize(100, rq, 1) == 75);
  CHECK(requantize(100, rq, 2) == 25);
  CHECK_NOTHROW(check_requant(rq, 3, "t"));
  CHECK_THROWS_AS(check_requant(rq, 4, "t"), npusim::InputError);
  rq.shift.pop_back();
  CHECK_THROWS_AS(check_requant(rq, 3, "t"), npusim::InputError);
  Requant bad;
  bad.multiplier = {kHalf};
  bad.shift = {0};
  bad.act_min = 10;
  bad.act_max = 5;
  CHECK_THROWS_AS(check_requant(bad, 1, "t"), npusim::InputError);
  bad.act_min = -200;
  bad.act_max = 5;
  CHECK_THROWS_AS(check_requant(bad, 1, "t"), npusim::InputError);
}

TEST_CASE("make_requant quantizes real multipliers", "[quant][requant]") {
  const Requant rq = make_requant({0.5, 0.25}, 3, 4);
  CHECK(rq.output_zero_point == 3);
  CHECK(rq.multiplier == std::vector<int32_t>{kHalf, kHalf});
  CHECK(rq.shift == std::vector<int>{0, -1});
  CHECK(rq.act_min == -8);
  CHECK(rq.act_max == 7);
  CHECK_THROWS_AS(make_requant({}, 0, 8), npusim::InputError);
}
