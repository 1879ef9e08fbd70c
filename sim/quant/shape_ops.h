#pragma once
// Golden data-movement ops on int8 tensors, TFLite-exact:
//  - PAD (pad.cc EvalInt without constant_values): the output zero point fills the border; values
//    are copied unchanged (TFLite does not requantize even if input and output quantization differ).
//  - CONCATENATION (reference/concatenation.h): a copy when every input has the output's scale and
//    zero point. TFLite's int8 kernel rejects anything else at Prepare; npusim then applies
//    ConcatenationWithScaling's arithmetic (TFLite's uint8 path) in int8: round(q * s + b) + zp_out
//    with s = in_scale * (1 / out_scale) and b = -zp_in * s in float32, clamped to int8.
//  - STRIDED_SLICE (strided_slice.cc + reference/strided_slice.h, offset = false): begin/end/strides
//    with begin_mask, end_mask and shrink_axis_mask; ellipsis_mask and new_axis_mask are rejected.
//  - RESHAPE / SQUEEZE only change shapes: reshape_shape / squeeze_shape compute them.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim::quant {

// paddings: one (before, after) pair per axis, each >= 0. Throws InputError otherwise.
TensorI8 pad_int8(const TensorI8& input, const std::vector<std::pair<int64_t, int64_t>>& paddings,
                  int8_t pad_value);

struct ConcatInput {
  const TensorI8* tensor = nullptr;
  float scale = 0.0f;
  int32_t zero_point = 0;
};
// axis may be negative (counts from the back). Throws InputError for mismatched ranks / sizes.
TensorI8 concat_int8(const std::vector<ConcatInput>& inputs, int axis, float output_scale,
                     int32_t output_zero_point);

struct StridedSliceSpec {
  std::vector<int32_t> begin, end, strides;  // one per leading axis (fewer than rank: rest taken whole)
  int begin_mask = 0, end_mask = 0, shrink_axis_mask = 0, ellipsis_mask = 0, new_axis_mask = 0;
};
// Output shape without the shrunk axes. Throws InputError for a zero stride, ellipsis/new_axis masks
// or more begin values than the input rank.
TensorI8 strided_slice_int8(const TensorI8& input, const StridedSliceSpec& spec);

// RESHAPE: `requested` may hold one -1 (inferred). Throws InputError unless the element count matches.
std::vector<int64_t> reshape_shape(const std::vector<int64_t>& in, const std::vector<int32_t>& requested);
// SQUEEZE: drops the listed axes (all size-1 axes when `axes` is empty); a listed axis must be 1.
std::vector<int64_t> squeeze_shape(const std::vector<int64_t>& in, const std::vector<int32_t>& axes);

}  // namespace npusim::quant
