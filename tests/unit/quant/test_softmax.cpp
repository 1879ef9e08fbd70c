// Golden int8 softmax: the reference (fixed-point) and builtin (float table) kernels.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/softmax.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("softmax parameters as PreprocessSoftmaxScaling computes them", "[quant][softmax]") {
  // beta * scale * 2^26 = 2^-4 * 2^26 = 2^22 = 0.5 * 2^23.
  const SoftmaxParams p = make_softmax_params(1.0f, 0.0625f);
  CHECK(p.input_multiplier == 1 << 30);
  CHECK(p.input_left_shift == 23);
  CHECK(p.diff_min == -248);  // -floor(31 * 2^26 / 2^23)
  // A huge beta * scale is capped at 2^31 - 1 = (2^31 - 1) * 2^(31 - 31); only the row maximum
  // then counts (diff_min = -floor(31 * 2^26 / 2^31) = 0).
  const SoftmaxParams big = make_softmax_params(1e6f, 1.0f);
  CHECK(big.input_multiplier == 2147483647);
  CHECK(big.input_left_shift == 31);
  CHECK(big.diff_min == 0);
  TensorI8 x({3});
  x.data = {4, 4, 3};
  CHECK(softmax_int8_reference(x, big).data == std::vector<int8_t>{0, 0, -128});
  CHECK_THROWS_AS(make_softmax_params(1.0f, 1e-9f), InputError);  // multiplier below 1
}

TEST_CASE("softmax_int8_reference: hand-checked rows", "[quant][softmax]") {
  const SoftmaxParams p = make_softmax_params(1.0f, 0.0625f);
  TensorI8 x({3, 2});
  x.data = {
      5,   5,        // equal: 0.5 each -> 128 - 128 = 0
      100, -100,     // difference 200 * 1/16 = 12.5: exp(-12.5) ~ 4e-6 -> -128, the max -> 127 (256 clamps)
      7,   7 - 16};  // difference 1: 1/(1+e^-1) = 0.731 -> 187.1 -> 59; e^-1/(1+e^-1) -> 68.9 -> -59
  const TensorI8 y = softmax_int8_reference(x, p);
  CHECK(y.data == std::vector<int8_t>{0, 0, 127, -128, 59, -59});
  // One element: probability 1 -> 256 - 128, clamped to 127.
  TensorI8 one({1});
  one.data = {-3};
  CHECK(softmax_int8_reference(one, p)[0] == 127);
  // Differences below diff_min contribute nothing and give -128.
  TensorI8 far({2});
  far.data = {127, -128};  // difference 255 > 248
  CHECK(softmax_int8_reference(far, p).data == std::vector<int8_t>{127, -128});
}

TEST_CASE("softmax: both kernels within one step of the real softmax", "[quant][softmax]") {
  Rng rng(5, "softmax");
  for (float s : {0.02f, 0.0625f, 0.17f}) {
    TensorI8 x({20, 10});
    for (auto& v : x.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
    const TensorI8 ref = softmax_int8_reference(x, make_softmax_params(1.0f, s));
    const TensorI8 lut = softmax_int8_lut(x, s, 1.0f, 1.0f / 256, -128);
    for (int64_t r = 0; r < 20; ++r) {
      double sum = 0;
      for (int64_t c = 0; c < 10; ++c) sum += std::exp(s * x[r * 10 + c]);
      for (int64_t c = 0; c < 10; ++c) {
        const double want = std::exp(s * x[r * 10 + c]) / sum * 256 - 128;
        const double clamped = std::min(127.0, std::max(-128.0, want));
        INFO("scale " << s << " row " << r << " col " << c);
        CHECK(std::abs(ref[r * 10 + c] - clamped) <= 1.0);
        CHECK(std::abs(lut[r * 10 + c] - clamped) <= 1.0);
      }
    }
  }
}

TEST_CASE("softmax output quantization must be TFLite's", "[quant][softmax]") {
  CHECK_NOTHROW(check_softmax_output(1.0f / 256, -128, "softmax"));
  CHECK_THROWS_AS(check_softmax_output(1.0f / 256, 0, "softmax"), InputError);
  CHECK_THROWS_AS(check_softmax_output(1.0f / 128, -128, "softmax"), InputError);
  CHECK_THROWS_AS(softmax_int8_reference(TensorI8(std::vector<int64_t>{}), make_softmax_params(1.0f, 0.1f)),
                  InputError);
}
