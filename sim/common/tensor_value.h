#pragma once
// A model tensor's value with its element type and per-tensor quantization: what flows between the
// operators of a real (.tflite) model. Activations are int8; int16 and int32 occur inside recurrent
// kernels and as constants; float32 only at a model's edges (QUANTIZE / DEQUANTIZE).
#include <cstdint>
#include <vector>

#include "sim/common/tensor.h"

namespace npusim {

enum class DType { Int8, Int16, Int32, Float32 };

struct TensorValue {
  DType type = DType::Int8;
  std::vector<int64_t> shape;
  // Exactly one of these holds the elements (row-major, shape's element count), the one of `type`.
  std::vector<int8_t> i8;
  std::vector<int16_t> i16;
  std::vector<int32_t> i32;
  std::vector<float> f32;
  // Per-tensor quantization (real = scale * (q - zero_point)); scale 0 = not quantized.
  double scale = 0.0;
  int32_t zero_point = 0;

  int64_t elements() const { return Tensor<int8_t>::count(shape); }
  static TensorValue of_i8(const TensorI8& t, double scale, int32_t zero_point) {
    TensorValue v;
    v.type = DType::Int8;
    v.shape = t.shape;
    v.i8 = t.data;
    v.scale = scale;
    v.zero_point = zero_point;
    return v;
  }
  TensorI8 as_i8() const {
    TensorI8 t;
    t.shape = shape;
    t.data = i8;
    return t;
  }
};

inline const char* dtype_name(DType t) {
  switch (t) {
    case DType::Int8:
      return "int8";
    case DType::Int16:
      return "int16";
    case DType::Int32:
      return "int32";
    case DType::Float32:
      return "float32";
  }
  return "?";
}

}  // namespace npusim
