// Golden int8 PAD, CONCATENATION, STRIDED_SLICE and the RESHAPE / SQUEEZE shapes.
#include <catch2/catch.hpp>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/shape_ops.h"

using namespace npusim;
using namespace npusim::quant;

TEST_CASE("PAD fills with the given value", "[quant][shape_ops]") {
  TensorI8 x({1, 2});
  x.data = {7, 8};
  const TensorI8 y = pad_int8(x, {{0, 1}, {1, 2}}, -5);
  CHECK(y.shape == std::vector<int64_t>{2, 5});
  CHECK(y.data == std::vector<int8_t>{-5, 7, 8, -5, -5, -5, -5, -5, -5, -5});
  CHECK_THROWS_AS(pad_int8(x, {{0, 0}}, 0), InputError);
  CHECK_THROWS_AS(pad_int8(x, {{0, 0}, {-1, 0}}, 0), InputError);
}

TEST_CASE("CONCATENATION copies or rescales like ConcatenationWithScaling", "[quant][shape_ops]") {
  TensorI8 a({1, 2}), b({1, 3});
  a.data = {1, 2};
  b.data = {3, -3, 127};
  // Same quantization: a copy along axis 1 (given as -1).
  const TensorI8 c = concat_int8({{&a, 0.5f, 0}, {&b, 0.5f, 0}}, -1, 0.5f, 0);
  CHECK(c.shape == std::vector<int64_t>{1, 5});
  CHECK(c.data == std::vector<int8_t>{1, 2, 3, -3, 127});
  // b at scale 0.5 into an output of scale 1: 1.5 -> 2, -1.5 -> -2 (away from zero), 63.5 -> 64.
  const TensorI8 d = concat_int8({{&a, 1.0f, 0}, {&b, 0.5f, 0}}, 1, 1.0f, 0);
  CHECK(d.data == std::vector<int8_t>{1, 2, 2, -2, 64});
  // Input zero point 1 and output zero point -1: (3 - 1) * 0.5 = 1 -> 0.
  const TensorI8 e = concat_int8({{&b, 0.5f, 1}}, 0, 1.0f, -1);
  CHECK(e.data == std::vector<int8_t>{0, -3, 62});
  TensorI8 f({2, 2});
  CHECK_THROWS_AS(concat_int8({{&a, 1.0f, 0}, {&f, 1.0f, 0}}, 1, 1.0f, 0), InputError);
}

TEST_CASE("STRIDED_SLICE with masks", "[quant][shape_ops]") {
  TensorI8 x({4});
  x.data = {0, 1, 2, 3};
  StridedSliceSpec s;
  s.begin = {-1}, s.end = {0}, s.strides = {-1};
  CHECK(strided_slice_int8(x, s).data == std::vector<int8_t>{3, 2, 1});
  s.end_mask = 1;  // through the first element
  CHECK(strided_slice_int8(x, s).data == std::vector<int8_t>{3, 2, 1, 0});
  s = {};
  s.begin = {2}, s.end = {0}, s.strides = {1}, s.shrink_axis_mask = 1;
  const TensorI8 one = strided_slice_int8(x, s);
  CHECK(one.shape.empty());
  CHECK(one.data == std::vector<int8_t>{2});
  // [2][3]: rows taken whole (begin_mask / end_mask), every second column from 0; a begin past the end
  // clamps to an empty slice.
  TensorI8 m({2, 3});
  m.data = {0, 1, 2, 3, 4, 5};
  s = {};
  s.begin = {5, 0}, s.end = {0, 3}, s.strides = {1, 2}, s.begin_mask = 1, s.end_mask = 1;
  const TensorI8 cols = strided_slice_int8(m, s);
  CHECK(cols.shape == std::vector<int64_t>{2, 2});
  CHECK(cols.data == std::vector<int8_t>{0, 2, 3, 5});
  s = {};
  s.begin = {1}, s.end = {2}, s.strides = {1};  // fewer values than the rank: the rest taken whole
  CHECK(strided_slice_int8(m, s).data == std::vector<int8_t>{3, 4, 5});
  s.begin = {5};
  CHECK(strided_slice_int8(m, s).size() == 0);
  s.begin = {0}, s.strides = {0};
  CHECK_THROWS_AS(strided_slice_int8(m, s), InputError);
  s.strides = {1}, s.ellipsis_mask = 1;
  CHECK_THROWS_AS(strided_slice_int8(m, s), InputError);
}

TEST_CASE("RESHAPE and SQUEEZE shapes", "[quant][shape_ops]") {
  CHECK(reshape_shape({1, 5, 5, 8}, {1, -1}) == std::vector<int64_t>{1, 200});
  CHECK(reshape_shape({2, 3}, {3, 2}) == std::vector<int64_t>{3, 2});
  CHECK_THROWS_AS(reshape_shape({2, 3}, {4, -1}), InputError);
  CHECK_THROWS_AS(reshape_shape({2, 3}, {-1, -1}), InputError);
  CHECK_THROWS_AS(reshape_shape({2, 3}, {5}), InputError);
  CHECK(squeeze_shape({1, 1, 1, 12}, {}) == std::vector<int64_t>{12});
  CHECK(squeeze_shape({1, 1, 1, 12}, {1, -2}) == std::vector<int64_t>{1, 12});
  CHECK_THROWS_AS(squeeze_shape({1, 3}, {1}), InputError);
}
