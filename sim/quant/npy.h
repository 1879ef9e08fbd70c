#pragma once
// NumPy .npy reader/writer for the integer tensors the simulator exchanges with Python tooling.
// Supports format versions 1.0 and 2.0, C order, little-endian int8 ('|i1'), uint8 ('|u1'),
// int16 ('<i2'), int32 ('<i4') and float32 ('<f4', model inputs and outputs only). Every failure throws InputError with a one-line message that
// starts with the file path ("weights.npy: unsupported dtype '<f4' (expected int8/int16/int32)").
#include <string>

#include "sim/common/tensor.h"
#include "sim/common/tensor_value.h"

namespace npusim::quant {

// Reads an int8 tensor. int16/int32 files are accepted if every value fits int8; uint8 files if
// every value is < 128.
TensorI8 read_npy_i8(const std::string& path);

// Reads an int32 tensor from any supported dtype (values are widened).
TensorI32 read_npy_i32(const std::string& path);

// Reads a tensor keeping its element type: int8, int16, int32 or float32 ('<f4'); uint8 is rejected (no
// model tensor has that type). Scale and zero point are left 0.
TensorValue read_npy_value(const std::string& path);
// Reads a little-endian float32 ('<f4') tensor (a QUANTIZE op's float input); the integer readers
// reject float data, and this one rejects integer data.
Tensor<float> read_npy_f32(const std::string& path);

// Writes a version 1.0 file (2.0 if the header needs more than 65535 bytes), dtype '|i1' / '<i4'.
void write_npy(const std::string& path, const TensorI8& t);
void write_npy(const std::string& path, const TensorI32& t);
void write_npy(const std::string& path, const Tensor<float>& t);  // '<f4'
void write_npy(const std::string& path, const TensorI16& t);      // '<i2'


}  // namespace npusim::quant
