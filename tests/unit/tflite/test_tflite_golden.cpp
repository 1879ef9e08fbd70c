// The TFLite golden evaluator (sim/driver/tflite_golden.h) on the seven shipped models, and against
// the outputs of a real TFLite interpreter when tests/data/tflite_ref holds them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/sha256.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/driver/tflite_golden.h"
#include "sim/quant/npy.h"
#include "sim/workload/tflite/tflite_reader.h"

using namespace npusim;
using Catch::Contains;

namespace {

const std::string kData = std::string(NPUSIM_SOURCE_DIR) + "/tests/data/";
const std::vector<std::string> kModels = {"kws_ref_model",    "vww_96_int8",      "pretrainedResnet_quant",
                                          "ad01_int8",        "str_ww_ref_model", "micro_speech_lstm",
                                          "trained_lstm_int8"};

bool has_lstm(const TfliteModel& m) {
  for (const auto& op : m.operators)
    if (op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM") return true;
  return false;
}

// A fixed pseudo-random int8 value for every model input.
std::vector<TensorValue> fixed_inputs(const TfliteModel& m, uint64_t seed) {
  std::vector<TensorValue> v;
  for (int ti : m.inputs) {
    const TfliteTensor& t = m.tensors[static_cast<size_t>(ti)];
    REQUIRE(t.type == TfliteType::Int8);
    TensorI8 x(std::vector<int64_t>(t.shape.begin(), t.shape.end()));
    Rng rng(seed, t.name);
    for (auto& e : x.data) e = static_cast<int8_t>(rng.uniform(-128, 127));
    v.push_back(TensorValue::of_i8(x, t.quant.scales.at(0), static_cast<int32_t>(t.quant.zero_points.at(0))));
  }
  return v;
}

std::string digest(const TensorValue& v) {
  switch (v.type) {
    case DType::Int8:
      return test::sha256_hex(reinterpret_cast<const uint8_t*>(v.i8.data()), v.i8.size());
    case DType::Int16:
      return test::sha256_hex(reinterpret_cast<const uint8_t*>(v.i16.data()), 2 * v.i16.size());
    case DType::Int32:
      return test::sha256_hex(reinterpret_cast<const uint8_t*>(v.i32.data()), 4 * v.i32.size());
    case DType::Float32:
      return test::sha256_hex(reinterpret_cast<const uint8_t*>(v.f32.data()), 4 * v.f32.size());
  }
  return "";
}

// One model's comparison with the interpreter's recorded tensors (tests/data/tflite_ref/<model>.ref.json).
struct RefComparison {
  bool available = false;  // reference data present
  std::string skipped;     // why the model could not be evaluated (LSTM stub), else empty
  int equal = 0, differing = 0;
  std::vector<std::string> diffs;  // "run r: operator k (OP) tensor t: ..." per differing tensor
  std::set<std::string> differing_ops;
};

// The value of model input `k` from an .npy file of the input tensor's type.
TensorValue load_input(const TfliteModel& m, size_t k, const std::string& path) {
  const TfliteTensor& t = m.tensors[static_cast<size_t>(m.inputs.at(k))];
  if (t.type == TfliteType::Float32) {
    const Tensor<float> f = quant::read_npy_f32(path);
    TensorValue v;
    v.type = DType::Float32;
    v.shape = f.shape;
    v.f32 = f.data;
    return v;
  }
  return TensorValue::of_i8(quant::read_npy_i8(path), t.quant.scales.at(0),
                            static_cast<int32_t>(t.quant.zero_points.at(0)));
}

// `dir` is tflite_ref (shipped models in models/) or tflite_ops (models beside their data).
RefComparison compare_with_reference(const std::string& dir, const std::string& name, TfliteKernels kernels) {
  RefComparison c;
  const std::string json_path = kData + dir + "/" + name + ".ref.json";
  if (!std::filesystem::exists(json_path)) return c;
  c.available = true;
  std::ifstream f(json_path);
  const nlohmann::json ref = nlohmann::json::parse(f);
  const std::string model_dir = dir == "tflite_ref" ? kData + "models/" : kData + dir + "/";
  const TfliteModel m = read_tflite(model_dir + name + ".tflite");
  for (size_t r = 0; r < ref.at("runs").size(); ++r) {
    const nlohmann::json& run = ref["runs"][r];
    // The run's input file(s) feed the model inputs in order.
    std::vector<std::string> files;
    if (run.at("input").is_array()) {
      for (const auto& fname : run["input"]) files.push_back(fname.get<std::string>());
    } else {
      files.push_back(run["input"].get<std::string>());
    }
    std::vector<TensorValue> in;
    for (size_t k = 0; k < files.size(); ++k) in.push_back(load_input(m, k, kData + dir + "/" + files[k]));
    std::vector<TensorValue> values;
    try {
      // The interpreter embeds a 2021 TFLite: its integer LSTM predates the hidden zero-point fix.
      values = eval_tflite_model(m, in, quant::Rounding::Double, kernels, quant::LstmReference::TfliteLegacy);
    } catch (const InputError& e) {
      if (!has_lstm(m)) throw;
      c.skipped = e.what();
      return c;
    }
    for (const auto& t : run.at("tensors")) {
      const TensorValue& v = values.at(t.at("tensor").get<size_t>());
      const std::string at =
          "run " + std::to_string(r) + ": operator " + std::to_string(t.at("operator").get<int>()) + " (" +
          t.at("op").get<std::string>() + ") tensor " + std::to_string(t["tensor"].get<int>());
      if (digest(v) == t.at("sha256").get<std::string>()) {
        ++c.equal;
        continue;
      }
      ++c.differing;
      c.differing_ops.insert(t.at("op").get<std::string>());
      // Summarise the difference from the recorded head and sum.
      int64_t sum = 0;
      for (int8_t x : v.i8) sum += x;
      std::string head;
      const auto& rh = t.at("head");
      int head_diffs = 0;
      for (size_t i = 0; i < rh.size() && i < v.i8.size(); ++i) head_diffs += rh[i].get<int>() != v.i8[i];
      c.diffs.push_back(at + ": sum " + std::to_string(sum) + " vs " +
                        std::to_string(t.at("sum").get<int64_t>()) + ", " + std::to_string(head_diffs) +
                        " of the first " + std::to_string(rh.size()) + " differ");
    }
  }
  return c;
}

}  // namespace

TEST_CASE("sha256 of known strings") {
  const std::string abc = "abc";
  CHECK(test::sha256_hex(reinterpret_cast<const uint8_t*>(abc.data()), abc.size()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(test::sha256_hex(nullptr, 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("every shipped model evaluates with the model's shapes, deterministically") {
  for (const std::string& name : kModels) {
    INFO(name);
    const TfliteModel m = read_tflite(kData + "models/" + name + ".tflite");
    const std::vector<TensorValue> in = fixed_inputs(m, 1);
    std::vector<TensorValue> a, b;
    try {
      a = eval_tflite_model(m, in, quant::Rounding::Double);
    } catch (const InputError& e) {
      // Until the LSTM golden is linked, its stub names the operator and nothing else fails.
      REQUIRE(has_lstm(m));
      CHECK_THAT(std::string(e.what()),
                 Contains("(UNIDIRECTIONAL_SEQUENCE_LSTM): UNIDIRECTIONAL_SEQUENCE_LSTM: not built in"));
      continue;
    }
    b = eval_tflite_model(m, in, quant::Rounding::Double);
    REQUIRE(a.size() == m.tensors.size());
    for (const auto& op : m.operators) {
      const TfliteTensor& t = m.tensors[static_cast<size_t>(op.outputs[0])];
      const TensorValue& v = a[static_cast<size_t>(op.outputs[0])];
      CHECK(v.shape == std::vector<int64_t>(t.shape.begin(), t.shape.end()));
      CHECK(v.elements() == t.elements());
      CHECK(v.i8 == b[static_cast<size_t>(op.outputs[0])].i8);
    }
    // The single model output is a probability-like int8 vector: not all one value for a random input
    // unless the model saturates; at least it holds the right element count.
    const TensorValue& out = a[static_cast<size_t>(m.outputs[0])];
    CHECK(static_cast<int64_t>(out.i8.size()) == out.elements());
  }
}

TEST_CASE("every tensor equals the real TFLite interpreter's (builtin kernels), when reference data exist") {
  for (const std::string& name : kModels) {
    INFO(name);
    const RefComparison c = compare_with_reference("tflite_ref", name, TfliteKernels::Builtin);
    if (!c.available) continue;
    if (!c.skipped.empty()) {
      WARN(name << ": not compared: " << c.skipped);
      continue;
    }
    for (const std::string& d : c.diffs) INFO(d);
    std::string all;
    for (const std::string& d : c.diffs) all += "\n  " + d;
    INFO(name << ": " << c.equal << " tensors equal, " << c.differing << " differ" << all);
    CHECK(c.differing == 0);
    CHECK(c.equal > 0);
  }
}

TEST_CASE("reference kernels differ from the builtin ones only where TFLite's arithmetic does") {
  // Each operator evaluated alone with the REFERENCE kernels on the builtin run's inputs (which equal
  // the interpreter's, see above): depthwise, pools, ADD and RESHAPE compute the same integers;
  // CONV_2D and FULLY_CONNECTED differ by ruy's single rounding against the reference's double
  // rounding, SOFTMAX by the float table against the fixed-point exp. Under Rounding::Single the
  // reference conv / fully connected equal ruy's.
  for (const std::string& name : kModels) {
    INFO(name);
    const TfliteModel m = read_tflite(kData + "models/" + name + ".tflite");
    if (has_lstm(m)) continue;
    const std::vector<TensorValue> values =
        eval_tflite_model(m, fixed_inputs(m, 7), quant::Rounding::Double, TfliteKernels::Builtin);
    for (const auto& op : m.operators) {
      INFO("operator " << op.index << " (" << op.op << ")");
      std::vector<TensorValue> ins;
      for (int ti : op.inputs) ins.push_back(ti >= 0 ? values[static_cast<size_t>(ti)] : TensorValue{});
      const std::vector<int8_t>& builtin = values[static_cast<size_t>(op.outputs[0])].i8;
      const std::vector<int8_t> ref_double =
          eval_tflite_op(m, op, ins, quant::Rounding::Double, TfliteKernels::Reference).i8;
      const std::vector<int8_t> ref_single =
          eval_tflite_op(m, op, ins, quant::Rounding::Single, TfliteKernels::Reference).i8;
      REQUIRE(ref_double.size() == builtin.size());
      int max_diff = 0;
      for (size_t i = 0; i < builtin.size(); ++i)
        max_diff = std::max(max_diff, std::abs(ref_double[i] - builtin[i]));
      CHECK(max_diff <= 1);  // one rounding step at most
      if (op.op == "CONV_2D" || op.op == "FULLY_CONNECTED") {
        CHECK(ref_single == builtin);
      } else if (op.op != "SOFTMAX") {
        CHECK(ref_double == builtin);
      }
    }
  }
}

TEST_CASE("single-operator models equal the real TFLite interpreter's outputs, when reference data exist") {
  const std::string dir = kData + "tflite_ops";
  if (!std::filesystem::exists(dir)) return;
  int models = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".ref.json";
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string name = file.substr(0, file.size() - suffix.size());
    INFO(name);
    const RefComparison c = compare_with_reference("tflite_ops", name, TfliteKernels::Builtin);
    std::string all;
    for (const std::string& d : c.diffs) all += "\n  " + d;
    INFO(name << ": " << c.equal << " tensors equal, " << c.differing << " differ" << all);
    CHECK(c.skipped.empty());
    CHECK(c.differing == 0);
    CHECK(c.equal > 0);
    ++models;
    // The reference kernels may differ from the interpreter's builtin ones only in the ops whose
    // arithmetic TFLite implements differently there (see TfliteKernels).
    const RefComparison r = compare_with_reference("tflite_ops", name, TfliteKernels::Reference);
    for (const std::string& op : r.differing_ops) {
      INFO("reference kernel differs in " << op);
      CHECK(std::set<std::string>{"CONV_2D", "FULLY_CONNECTED", "SOFTMAX", "MEAN", "QUANTIZE"}.count(op) ==
            1);
    }
  }
  CHECK(models > 0);
}
