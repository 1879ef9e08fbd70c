#pragma once
// Shared inner loop of conv2d and fully_connected: int16 dot products into int32 accumulators.
// Operands are widened to int16 once per tensor ((x - zp) of int8 data spans [-255, 255]) so the
// compiler can use 16x16->32 multiply-add instructions for the reduction.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

inline int32_t dot_i16(const int16_t* a, const int16_t* b, int64_t n) {
  int32_t acc = 0;
  for (int64_t i = 0; i < n; ++i) acc += static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
  return acc;
}

// Throws InputError unless input_zero_point is an int8 value (so x - zp fits int16).
void check_input_zero_point(int32_t input_zero_point, const std::string& what);

// Throws InputError if an accumulator of `reduction` products plus a bias could overflow int32
// for these actual operands (TFLite uses int32 accumulators; overflow would be undefined here).
void check_acc_range(const TensorI8& input, int32_t input_zero_point, const TensorI8& weights,
                     const std::vector<int32_t>& bias, int64_t reduction, const std::string& what);

// Formats a shape as "[2][3][4]" for error messages.
std::string shape_str(const std::vector<int64_t>& shape);

}  // namespace npusim::quant
