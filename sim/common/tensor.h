#pragma once
// Dense row-major tensor. Activations are NHWC (batch 1 => HWC), conv weights are OHWI
// ([K][R][S][C/groups], TFLite's layout), FC weights are [N][K].
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace npusim {

template <class T>
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<T> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s, T fill = T{}) : shape(std::move(s)) {
    data.assign(static_cast<size_t>(count(shape)), fill);
  }
  static int64_t count(const std::vector<int64_t>& s) {
    return std::accumulate(s.begin(), s.end(), int64_t{1}, [](int64_t a, int64_t b) { return a * b; });
  }
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  int64_t dim(size_t i) const { return shape.at(i); }
  T& operator[](int64_t i) { return data[static_cast<size_t>(i)]; }
  const T& operator[](int64_t i) const { return data[static_cast<size_t>(i)]; }
};

using TensorI8 = Tensor<int8_t>;
using TensorI16 = Tensor<int16_t>;
using TensorI32 = Tensor<int32_t>;

}  // namespace npusim
