#pragma once
// Numpy-style broadcasting of two operands, as TFLite's BroadcastAdd/Sub/Mul*Slow kernels do
// (shapes aligned at the trailing axis; an axis of size 1 or a missing leading axis repeats).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

// The broadcast output shape. Throws InputError prefixed by `what` if an axis differs and neither
// size is 1, or if the output rank exceeds 6 (TFLite's limit).
std::vector<int64_t> broadcast_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                                     const std::string& what);

// For every element of the broadcast output (row-major), the flat index into `a` and into `b`.
void broadcast_indices(const std::vector<int64_t>& a, const std::vector<int64_t>& b, const std::string& what,
                       std::vector<int64_t>* out_shape, std::vector<int64_t>* ia, std::vector<int64_t>* ib);

// out[i] = f(a[ia[i]], b[ib[i]]) over the broadcast shape.
template <class F>
TensorI8 broadcast_binary(const TensorI8& a, const TensorI8& b, const std::string& what, F f) {
  std::vector<int64_t> shape, ia, ib;
  broadcast_indices(a.shape, b.shape, what, &shape, &ia, &ib);
  TensorI8 out(shape);
  for (size_t i = 0; i < ia.size(); ++i) out.data[i] = f(a[ia[i]], b[ib[i]]);
  return out;
}

}  // namespace npusim::quant
