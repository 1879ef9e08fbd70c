// eval_tflite_op on small hand-built models: the wiring of each op (layouts, constants, options,
// rounding and kernel-set choices) and the messages for unsupported combinations.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/driver/tflite_golden.h"

using namespace npusim;
using Catch::Contains;
using Catch::StartsWith;

namespace {

template <class T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// A model of one operator; tensors are added in order and referenced by index.
struct OneOp {
  TfliteModel m;
  OneOp(const std::string& op, int code) {
    m.path = "m.tflite";
    m.operators.resize(1);
    m.operators[0].op = op;
    m.operators[0].builtin_code = code;
  }
  TfliteOperator& op() { return m.operators[0]; }
  int tensor(const std::string& name, TfliteType type, std::vector<int32_t> shape, std::vector<float> scales = {},
             std::vector<int64_t> zps = {}, std::vector<uint8_t> data = {}, int qdim = 0) {
    TfliteTensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    t.quant.scales = std::move(scales);
    t.quant.zero_points = zps.empty() ? std::vector<int64_t>(t.quant.scales.size(), 0) : std::move(zps);
    t.quant.quantized_dimension = qdim;
    t.data = std::move(data);
    m.tensors.push_back(t);
    return static_cast<int>(m.tensors.size()) - 1;
  }
  TensorValue run(const std::vector<TensorValue>& in, quant::Rounding r = quant::Rounding::Double,
                  TfliteKernels k = TfliteKernels::Reference) {
    return eval_tflite_op(m, op(), in, r, k);
  }
  std::string error(const std::vector<TensorValue>& in) {
    try {
      run(in);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
};

TensorValue i8(std::vector<int64_t> shape, std::vector<int8_t> v) {
  TensorI8 t(std::move(shape));
  t.data = std::move(v);
  return TensorValue::of_i8(t, 0.0, 0);
}

}  // namespace

TEST_CASE("depthwise filters [1][R][S][C*m] map output channel k to input channel k / m") {
  OneOp o("DEPTHWISE_CONV_2D", 4);
  const int x = o.tensor("x", TfliteType::Int8, {1, 1, 1, 2}, {1.0f});
  const int w = o.tensor("w", TfliteType::Int8, {1, 1, 1, 4}, {1.0f}, {0}, bytes_of<int8_t>({1, 2, 3, 4}));
  const int y = o.tensor("y", TfliteType::Int8, {1, 1, 1, 4}, {1.0f});
  o.op().inputs = {x, w, -1};
  o.op().outputs = {y};
  o.op().options.depth_multiplier = 2;
  const TensorValue out = o.run({i8({1, 1, 1, 2}, {1, 2})});
  CHECK(out.shape == std::vector<int64_t>{1, 1, 1, 4});
  CHECK(out.i8 == std::vector<int8_t>{1, 2, 6, 8});  // x0 w0, x0 w1, x1 w2, x1 w3
}

TEST_CASE("conv requantization follows the rounding mode, fused RELU6 clamps from the output scale") {
  OneOp o("CONV_2D", 3);
  const int x = o.tensor("x", TfliteType::Int8, {1, 1, 2, 1}, {1.0f});
  const int w = o.tensor("w", TfliteType::Int8, {1, 1, 1, 1}, {0.25f}, {0}, bytes_of<int8_t>({1}));
  const int y = o.tensor("y", TfliteType::Int8, {1, 1, 2, 1}, {1.0f});
  o.op().inputs = {x, w};
  o.op().outputs = {y};
  // acc -2 * 0.25 = -0.5: double rounding goes away from zero, single rounding ties upward.
  const TensorValue in = i8({1, 1, 2, 1}, {-2, 30});
  CHECK(o.run({in}, quant::Rounding::Double).i8 == std::vector<int8_t>{-1, 8});
  CHECK(o.run({in}, quant::Rounding::Single).i8 == std::vector<int8_t>{0, 8});
  // The builtin conv goes through ruy, single-rounding whatever `rounding` says.
  CHECK(o.run({in}, quant::Rounding::Double, TfliteKernels::Builtin).i8 == std::vector<int8_t>{0, 8});
  o.op().options.activation = TfliteActivation::Relu6;
  CHECK(o.run({in}).i8 == std::vector<int8_t>{0, 6});
  // SAME padding with stride 2 on a 2-wide input gives one output column.
  o.op().options.padding = TflitePadding::Same;
  o.op().options.stride_w = 2;
  o.m.tensors[static_cast<size_t>(y)].shape = {1, 1, 1, 1};
  CHECK(o.run({in}).shape == std::vector<int64_t>{1, 1, 1, 1});
}

TEST_CASE("constants come from the model when no value is passed") {
  OneOp o("MEAN", 40);
  const int x = o.tensor("x", TfliteType::Int8, {1, 2, 2, 1}, {1.0f});
  const int axes = o.tensor("axes", TfliteType::Int32, {2}, {}, {}, bytes_of<int32_t>({1, 2}));
  const int y = o.tensor("y", TfliteType::Int8, {1, 1, 1, 1}, {1.0f});
  o.op().inputs = {x, axes};
  o.op().outputs = {y};
  o.op().options.keep_dims = true;
  CHECK(o.run({i8({1, 2, 2, 1}, {1, 2, 3, 5})}).i8 == std::vector<int8_t>{3});
  // A passed value wins over the model's constant: reduce over W only.
  TensorValue a;
  a.type = DType::Int32;
  a.shape = {1};
  a.i32 = {2};
  o.m.tensors[static_cast<size_t>(y)].shape = {1, 2, 1, 1};
  CHECK(o.run({i8({1, 2, 2, 1}, {1, 2, 3, 5}), a}).i8 == std::vector<int8_t>{2, 4});  // 1.5 -> 2, 4
}

TEST_CASE("unsupported combinations name the file, the operator index and its op") {
  SECTION("a float input to MEAN") {
    OneOp o("MEAN", 40);
    const int x = o.tensor("x", TfliteType::Float32, {1, 2});
    const int axes = o.tensor("axes", TfliteType::Int32, {1}, {}, {}, bytes_of<int32_t>({1}));
    const int y = o.tensor("y", TfliteType::Float32, {1});
    o.op().index = 7;
    o.op().inputs = {x, axes};
    o.op().outputs = {y};
    TensorValue f;
    f.type = DType::Float32;
    f.shape = {1, 2};
    f.f32 = {1.0f, 2.0f};
    const std::string msg = o.error({f});
    CHECK_THAT(msg, StartsWith("m.tflite: operator 7 (MEAN): "));
    CHECK_THAT(msg, Contains("'x' is float32, expected int8"));
  }
  SECTION("SOFTMAX with an output zero point other than -128") {
    OneOp o("SOFTMAX", 25);
    const int x = o.tensor("x", TfliteType::Int8, {1, 2}, {0.1f});
    const int y = o.tensor("y", TfliteType::Int8, {1, 2}, {1.0f / 256}, {0});
    o.op().inputs = {x};
    o.op().outputs = {y};
    CHECK_THAT(o.error({i8({1, 2}, {1, 2})}), Contains("operator 0 (SOFTMAX): softmax: int8 softmax output zero point 0"));
  }
  SECTION("CONCATENATION with a fused activation") {
    OneOp o("CONCATENATION", 2);
    const int a = o.tensor("a", TfliteType::Int8, {1, 1}, {1.0f});
    const int y = o.tensor("y", TfliteType::Int8, {1, 2}, {1.0f});
    o.op().inputs = {a, a};
    o.op().outputs = {y};
    o.op().options.activation = TfliteActivation::Relu;
    CHECK_THAT(o.error({i8({1, 1}, {1}), i8({1, 1}, {2})}), Contains("(CONCATENATION): a fused activation"));
  }
  SECTION("STRIDED_SLICE with an ellipsis") {
    OneOp o("STRIDED_SLICE", 45);
    const int x = o.tensor("x", TfliteType::Int8, {4}, {1.0f});
    const int b = o.tensor("b", TfliteType::Int32, {1}, {}, {}, bytes_of<int32_t>({0}));
    const int y = o.tensor("y", TfliteType::Int8, {4}, {1.0f});
    o.op().inputs = {x, b, b, b};
    o.op().outputs = {y};
    o.op().options.ellipsis_mask = 1;
    CHECK_THAT(o.error({i8({4}, {1, 2, 3, 4})}), Contains("(STRIDED_SLICE): strided_slice: ellipsis_mask"));
  }
  SECTION("a per-channel quantized activation") {
    OneOp o("RELU", 19);
    const int x = o.tensor("x", TfliteType::Int8, {2}, {1.0f, 2.0f});
    const int y = o.tensor("y", TfliteType::Int8, {2}, {1.0f});
    o.op().inputs = {x};
    o.op().outputs = {y};
    CHECK_THAT(o.error({i8({2}, {1, 2})}), Contains("(RELU): input 'x' needs per-tensor quantization"));
  }
  SECTION("the LSTM stub") {
    OneOp o("UNIDIRECTIONAL_SEQUENCE_LSTM", 44);
    const int x = o.tensor("x", TfliteType::Int8, {1, 1, 1}, {1.0f});
    o.op().inputs = {x};
    o.op().outputs = {x};
    const std::string msg = o.error({i8({1, 1, 1}, {0})});
    // Either the stub's message or, once the real LSTM is linked, whatever it says about this toy op.
    if (msg.find("not built in") != std::string::npos) {
      CHECK_THAT(msg, StartsWith("m.tflite: operator 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): "));
    }
  }
}

TEST_CASE("QUANTIZE float -> int8 divides in float (reference) or double (builtin)") {
  OneOp o("QUANTIZE", 114);
  const int x = o.tensor("x", TfliteType::Float32, {2});
  const int y = o.tensor("y", TfliteType::Int8, {2}, {0.4f}, {1});
  o.op().inputs = {x};
  o.op().outputs = {y};
  TensorValue f;
  f.type = DType::Float32;
  f.shape = {2};
  f.f32 = {1.0f, -1.0f};
  CHECK(o.run({f}).i8 == std::vector<int8_t>{4, -2});  // round(+-2.5) + 1
  CHECK(o.run({f}, quant::Rounding::Double, TfliteKernels::Builtin).i8 == std::vector<int8_t>{3, -1});
  // DEQUANTIZE back to float: 0.4f * (q - 1) in double, rounded to float.
  OneOp d("DEQUANTIZE", 6);
  const int q = d.tensor("q", TfliteType::Int8, {2}, {0.4f}, {1});
  const int r = d.tensor("r", TfliteType::Float32, {2});
  d.op().inputs = {q};
  d.op().outputs = {r};
  const TensorValue back = d.run({i8({2}, {4, -2})});
  CHECK(back.type == DType::Float32);
  CHECK(back.f32 == std::vector<float>{static_cast<float>(0.4f * 3.0), static_cast<float>(0.4f * -3.0)});
}
