// Random operand generation: determinism, density and value range.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/quant/tensor_gen.h"

using namespace npusim;
using namespace npusim::quant;

namespace {
double density_of(const TensorI8& t) {
  const auto nz = std::count_if(t.data.begin(), t.data.end(), [](int8_t v) { return v != 0; });
  return static_cast<double>(nz) / static_cast<double>(t.size());
}
}  // namespace

TEST_CASE("random_tensor is deterministic for a seed and stream", "[quant][tensor_gen]") {
  Rng a(123, "weights"), b(123, "weights"), c(124, "weights");
  const TensorI8 ta = random_tensor({8, 3, 3, 16}, 8, 0.5, a);
  const TensorI8 tb = random_tensor({8, 3, 3, 16}, 8, 0.5, b);
  const TensorI8 tc = random_tensor({8, 3, 3, 16}, 8, 0.5, c);
  CHECK(ta.shape == std::vector<int64_t>{8, 3, 3, 16});
  CHECK(ta.data == tb.data);
  CHECK(ta.data != tc.data);
}

TEST_CASE("random_tensor density", "[quant][tensor_gen]") {
  Rng rng(1, "density");
  for (double d : {0.1, 0.3, 0.5, 0.9}) {
    INFO("density " << d);
    CHECK(std::abs(density_of(random_tensor({200, 500}, 8, d, rng)) - d) < 0.01);
  }
  CHECK(density_of(random_tensor({1000}, 8, 0.0, rng)) == 0.0);
  CHECK(density_of(random_tensor({1000}, 8, 1.0, rng)) == 1.0);  // 0 is never drawn as a value
}

TEST_CASE("random_tensor value range", "[quant][tensor_gen]") {
  Rng rng(2, "range");
  const TensorI8 t4 = random_tensor({20000}, 4, 1.0, rng);
  CHECK(*std::min_element(t4.data.begin(), t4.data.end()) == -8);
  CHECK(*std::max_element(t4.data.begin(), t4.data.end()) == 7);
  const TensorI8 t8 = random_tensor({20000}, 8, 1.0, rng);
  CHECK(*std::min_element(t8.data.begin(), t8.data.end()) == -128);
  CHECK(*std::max_element(t8.data.begin(), t8.data.end()) == 127);
  const TensorI8 t2 = random_tensor({1000}, 2, 1.0, rng);
  CHECK(std::all_of(t2.data.begin(), t2.data.end(), [](int8_t v) { return v == -2 || v == -1 || v == 1; }));
}

TEST_CASE("random_tensor rejects bad arguments", "[quant][tensor_gen]") {
  Rng rng(3, "bad");
  CHECK_THROWS_AS(random_tensor({4}, 8, -0.1, rng), InputError);
  CHECK_THROWS_AS(random_tensor({4}, 8, 1.5, rng), InputError);
  CHECK_THROWS_AS(random_tensor({4}, 8, std::numeric_limits<double>::quiet_NaN(), rng), InputError);
  CHECK_THROWS_WITH(random_tensor({4}, 8, 1.5, rng), Catch::Contains("density") && Catch::Contains("[0, 1]"));
  CHECK_THROWS_AS(random_tensor({4}, 9, 0.5, rng), InputError);
  CHECK_THROWS_AS(random_tensor({4}, 1, 0.5, rng), InputError);
}
