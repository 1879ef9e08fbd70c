#include "sim/quant/shape_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {
namespace {

// Row-major strides of a shape.
std::vector<int64_t> strides_of(const std::vector<int64_t>& shape) {
  std::vector<int64_t> st(shape.size(), 1);
  for (size_t k = shape.size(); k-- > 1;) st[k - 1] = st[k] * shape[k];
  return st;
}

}  // namespace

TensorI8 pad_int8(const TensorI8& input, const std::vector<std::pair<int64_t, int64_t>>& paddings,
                  int8_t pad_value) {
  const size_t rank = input.shape.size();
  if (paddings.size() != rank) {
    throw InputError("pad: " + std::to_string(paddings.size()) + " padding pairs for a rank-" +
                     std::to_string(rank) + " input");
  }
  std::vector<int64_t> out_shape(rank);
  for (size_t k = 0; k < rank; ++k) {
    if (paddings[k].first < 0 || paddings[k].second < 0)
      throw InputError("pad: negative padding on axis " + std::to_string(k));
    out_shape[k] = input.shape[k] + paddings[k].first + paddings[k].second;
  }
  TensorI8 out(out_shape, pad_value);
  const std::vector<int64_t> ost = strides_of(out_shape);
  std::vector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < input.size(); ++i) {
    int64_t o = 0;
    for (size_t k = 0; k < rank; ++k) o += (idx[k] + paddings[k].first) * ost[k];
    out[o] = input[i];
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < input.shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

TensorI8 concat_int8(const std::vector<ConcatInput>& inputs, int axis, float output_scale,
                     int32_t output_zero_point) {
  if (inputs.empty()) throw InputError("concatenation: no inputs");
  const std::vector<int64_t>& s0 = inputs[0].tensor->shape;
  const int rank = static_cast<int>(s0.size());
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank)
    throw InputError("concatenation: axis outside the rank " + std::to_string(rank));
  std::vector<int64_t> out_shape = s0;
  out_shape[static_cast<size_t>(axis)] = 0;
  for (const ConcatInput& in : inputs) {
    const std::vector<int64_t>& s = in.tensor->shape;
    bool ok = static_cast<int>(s.size()) == rank;
    for (int k = 0; ok && k < rank; ++k)
      ok = k == axis || s[static_cast<size_t>(k)] == s0[static_cast<size_t>(k)];
    if (!ok)
      throw InputError("concatenation: input shapes " + shape_str(s0) + " and " + shape_str(s) +
                       " differ off the axis");
    out_shape[static_cast<size_t>(axis)] += s[static_cast<size_t>(axis)];
  }
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < axis; ++k) outer *= out_shape[static_cast<size_t>(k)];
  for (int k = axis + 1; k < rank; ++k) inner *= out_shape[static_cast<size_t>(k)];
  TensorI8 out(out_shape);
  const float inverse_output_scale = 1.f / output_scale;
  int64_t o = 0;
  for (int64_t b = 0; b < outer; ++b) {
    for (const ConcatInput& in : inputs) {
      const int64_t copy = in.tensor->shape[static_cast<size_t>(axis)] * inner;
      const int8_t* src = in.tensor->data.data() + b * copy;
      if (in.zero_point == output_zero_point && in.scale == output_scale) {
        std::memcpy(&out.data[static_cast<size_t>(o)], src, static_cast<size_t>(copy));
      } else {
        const float scale = in.scale * inverse_output_scale;
        const float bias = static_cast<float>(-in.zero_point) * scale;
        for (int64_t j = 0; j < copy; ++j) {
          const float r = std::round(static_cast<float>(src[j]) * scale + bias);
          const int64_t v = static_cast<int64_t>(std::clamp(r, -1e9f, 1e9f)) + output_zero_point;
          out[o + j] = static_cast<int8_t>(std::clamp<int64_t>(v, -128, 127));
        }
      }
      o += copy;
    }
  }
  return out;
}

TensorI8 strided_slice_int8(const TensorI8& input, const StridedSliceSpec& spec) {
  if (spec.ellipsis_mask != 0 || spec.new_axis_mask != 0) {
    throw InputError("strided_slice: ellipsis_mask and new_axis_mask are not supported");
  }
  const size_t rank = input.shape.size();
  const size_t n = spec.begin.size();
  if (spec.end.size() != n || spec.strides.size() != n) {
    throw InputError("strided_slice: begin, end and strides have different lengths");
  }
  if (n > rank)
    throw InputError("strided_slice: " + std::to_string(n) + " begin values for rank " +
                     std::to_string(rank));
  // Axes past the given ones are taken whole (BuildStridedSliceParams sets both masks there).
  std::vector<int64_t> start(rank), stop(rank), stride(rank);
  std::vector<int64_t> out_shape, full_shape(rank);
  for (size_t k = 0; k < rank; ++k) {
    const int64_t size = input.shape[k];
    const bool given = k < n;
    const int64_t st = given ? spec.strides[k] : 1;
    if (st == 0) throw InputError("strided_slice: stride 0 on axis " + std::to_string(k));
    const bool begin_mask = !given || (spec.begin_mask >> k & 1);
    const bool end_mask = !given || (spec.end_mask >> k & 1);
    const bool shrink = given && (spec.shrink_axis_mask >> k & 1);
    // reference_ops::StartForAxis: wrap negatives, clamp, then the mask overrides.
    int64_t b = given ? spec.begin[k] : 0;
    if (b < 0) b += size;
    b = st > 0 ? std::clamp<int64_t>(b, 0, size) : std::clamp<int64_t>(b, -1, size - 1);
    if (begin_mask) b = st > 0 ? 0 : size - 1;
    // EndForAxis: a shrunk axis takes exactly one element.
    int64_t e = 0;
    if (shrink) {
      e = b >= size ? b : b + 1;
    } else {
      e = given ? spec.end[k] : 0;
      if (e < 0) e += size;
      e = st > 0 ? std::clamp<int64_t>(e, 0, size) : std::clamp<int64_t>(e, -1, size - 1);
      if (end_mask) e = st > 0 ? size : -1;
    }
    start[k] = b;
    stop[k] = e;
    stride[k] = st;
    // ResizeOutputTensor: ceil((e - b) / st), 0 when the direction disagrees.
    const int64_t span = e - b;
    int64_t dim = 0;
    if ((span < 0) == (st < 0)) dim = st < 0 ? (span + 1) / st + 1 : (span == 0 ? 0 : (span - 1) / st + 1);
    full_shape[k] = dim;
    if (!shrink) out_shape.push_back(dim);
  }
  TensorI8 out(out_shape);
  if (out.size() == 0) return out;
  const std::vector<int64_t> ist = strides_of(input.shape);
  std::vector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t src = 0;
    for (size_t k = 0; k < rank; ++k) src += (start[k] + idx[k] * stride[k]) * ist[k];
    out[i] = input[src];
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < full_shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

std::vector<int64_t> reshape_shape(const std::vector<int64_t>& in, const std::vector<int32_t>& requested) {
  const int64_t count = Tensor<int8_t>::count(in);
  std::vector<int64_t> out;
  int infer = -1;
  int64_t known = 1;
  for (size_t k = 0; k < requested.size(); ++k) {
    if (requested[k] == -1) {
      if (infer >= 0) throw InputError("reshape: more than one -1 in the new shape");
      infer = static_cast<int>(k);
      out.push_back(1);
    } else if (requested[k] < 0) {
      throw InputError("reshape: negative dimension " + std::to_string(requested[k]));
    } else {
      out.push_back(requested[k]);
      known *= requested[k];
    }
  }
  if (infer >= 0) {
    if (known == 0 || count % known != 0)
      throw InputError("reshape: cannot infer the -1 dimension of " + shape_str(out));
    out[static_cast<size_t>(infer)] = count / known;
  }
  if (Tensor<int8_t>::count(out) != count) {
    throw InputError("reshape: " + shape_str(in) + " has " + std::to_string(count) + " elements, new shape " +
                     shape_str(out) + " has " + std::to_string(Tensor<int8_t>::count(out)));
  }
  return out;
}

std::vector<int64_t> squeeze_shape(const std::vector<int64_t>& in, const std::vector<int32_t>& axes) {
  const int rank = static_cast<int>(in.size());
  std::vector<bool> drop(in.size(), false);
  if (axes.empty()) {
    for (size_t k = 0; k < in.size(); ++k) drop[k] = in[k] == 1;
  }
  for (int32_t a : axes) {
    const int k = a < 0 ? a + rank : a;
    if (k < 0 || k >= rank) throw InputError("squeeze: axis " + std::to_string(a) + " outside the rank");
    if (in[static_cast<size_t>(k)] != 1) {
      throw InputError("squeeze: axis " + std::to_string(a) + " has size " +
                       std::to_string(in[static_cast<size_t>(k)]));
    }
    drop[static_cast<size_t>(k)] = true;
  }
  std::vector<int64_t> out;
  for (size_t k = 0; k < in.size(); ++k)
    if (!drop[k]) out.push_back(in[k]);
  return out;
}

}  // namespace npusim::quant
