// The UNIDIRECTIONAL_SEQUENCE_LSTM operator (op 0) of the two shipped LSTM models, evaluated by
// sim/driver/tflite_lstm on the fixed inputs of tests/data/tflite_ref, against a real TFLite
// interpreter's output (sha256 of the raw bytes, head and sum in <model>.ref.json) and against TFLM.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/driver/tflite_lstm.h"
#include "sim/quant/npy.h"
#include "tests/support/sha256.h"

using namespace npusim;
using Catch::Contains;

namespace {

std::string data_path(const std::string& rel) {
  return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/" + rel;
}

struct RefTensor {
  std::string sha256;
  std::vector<int> head;
  int64_t sum = 0;
  std::vector<int64_t> shape;
};

// The interpreter's output of operator 0 for input file `input` of `model`.
RefTensor reference(const std::string& model, const std::string& input) {
  std::ifstream f(data_path("tflite_ref/" + model + ".ref.json"));
  REQUIRE(f);
  const nlohmann::json j = nlohmann::json::parse(f);
  for (const auto& run : j.at("runs")) {
    if (run.at("input") != input) continue;
    for (const auto& t : run.at("tensors")) {
      if (t.at("operator") != 0) continue;
      return {t.at("sha256").get<std::string>(), t.at("head").get<std::vector<int>>(),
              t.at("sum").get<int64_t>(), t.at("shape").get<std::vector<int64_t>>()};
    }
  }
  FAIL("no operator 0 output for " << input << " in " << model << ".ref.json");
  return {};
}

TensorValue input_value(const std::string& model, int k) {
  return TensorValue::of_i8(
      quant::read_npy_i8(data_path("tflite_ref/" + model + ".input" + std::to_string(k) + ".npy")), 0, 0);
}

std::string digest(const TensorValue& v) {
  return test::sha256_hex(reinterpret_cast<const uint8_t*>(v.i8.data()), v.i8.size());
}

int64_t sum(const TensorValue& v) {
  int64_t s = 0;
  for (int8_t x : v.i8) s += x;
  return s;
}

std::string lstm_error(TfliteModel m, void (*edit)(TfliteModel&)) {
  edit(m);
  try {
    eval_tflite_lstm(m, m.operators[0], input_value("trained_lstm_int8", 0));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("sha256 helper", "[tflite][lstm]") {
  CHECK(test::sha256_hex(nullptr, 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  CHECK(test::sha256_hex(reinterpret_cast<const uint8_t*>(abc.data()), 3) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("LSTM operator of the shipped models vs the real TFLite interpreter and TFLM", "[tflite][lstm]") {
  // TFLM's output digests: the same inputs through tflite-micro's own EvalLstm (lstm_eval.cc at
  // commit 90b983c, compiled from source with npusim's Prepare values) gave these bytes exactly.
  struct Case {
    std::string model;
    int input;
    std::string tflm_sha256;
  };
  const std::vector<Case> cases = {
      {"micro_speech_lstm", 0, "024ad8d75d6af7f4120cb0f91719c407c29f98498b21999cc159257c9440e47f"},
      {"micro_speech_lstm", 1, "735f0060e4ea93a33671eeccadf3ac2fac467424cb0a9988c2988f1771bd4c21"},
      {"trained_lstm_int8", 0, "2e22080bb119cbf6876e127d86c5f6cb46050fa0a728a3a69622f17727129a77"},
      {"trained_lstm_int8", 1, "9727a3b0265e84eedbafc3fec3ad2e96e919b404bddf26fdda80fddcfe94def4"},
  };
  for (const Case& c : cases) {
    const std::string input_file = c.model + ".input" + std::to_string(c.input) + ".npy";
    INFO(input_file);
    const TfliteModel m = read_tflite(data_path("models/" + c.model + ".tflite"));
    const TfliteOperator& op = m.operators.at(0);
    REQUIRE(op.op == "UNIDIRECTIONAL_SEQUENCE_LSTM");
    const TensorValue x = input_value(c.model, c.input);
    const RefTensor ref = reference(c.model, input_file);

    // The interpreter (tfjs-tflite 0.0.1-alpha.10) is an older TFLite: TfliteLegacy reproduces it bit for
    // bit.
    const TensorValue legacy = eval_tflite_lstm_as(m, op, x, quant::LstmReference::TfliteLegacy);
    CHECK(legacy.shape == ref.shape);
    CHECK(std::vector<int>(legacy.i8.begin(), legacy.i8.begin() + 16) == ref.head);
    CHECK(sum(legacy) == ref.sum);
    CHECK(digest(legacy) == ref.sha256);

    // TFLM's kernel: pinned, and within 2 LSB of TFLite's (different sigmoid / tanh and roundings).
    const TensorValue tflm = eval_tflite_lstm(m, op, x);
    CHECK(tflm.shape == ref.shape);
    CHECK(tflm.scale == Approx(m.tensors[static_cast<size_t>(op.outputs[0])].quant.scales[0]));
    CHECK(digest(tflm) == c.tflm_sha256);
    const TensorValue tflite = eval_tflite_lstm_as(m, op, x, quant::LstmReference::Tflite);
    int differ = 0, worst = 0;
    for (size_t i = 0; i < tflm.i8.size(); ++i) {
      const int d = std::abs(tflm.i8[i] - tflite.i8[i]);
      differ += d != 0;
      worst = std::max(worst, d);
    }
    CHECK(differ > 0);
    CHECK(differ < static_cast<int>(tflm.i8.size()) / 8);
    CHECK(worst <= 2);
    // With a zero hidden zero point the zero-point fix changes nothing.
    if (m.tensors[static_cast<size_t>(op.inputs[18])].quant.zero_points[0] == 0)
      CHECK(tflite.i8 == legacy.i8);
  }
}

TEST_CASE("LSTM operator: unsupported variants and bad inputs are InputErrors naming the operator",
          "[tflite][lstm]") {
  const TfliteModel m = read_tflite(data_path("models/trained_lstm_int8.tflite"));
  const auto peephole = [](TfliteModel& t) { t.operators[0].inputs[9] = t.operators[0].inputs[12]; };
  const auto cifg = [](TfliteModel& t) { t.operators[0].inputs[1] = -1; };
  const auto projection = [](TfliteModel& t) { t.operators[0].inputs[16] = t.operators[0].inputs[2]; };
  const auto layer_norm = [](TfliteModel& t) { t.operators[0].inputs[21] = t.operators[0].inputs[12]; };
  const auto activation = [](TfliteModel& t) { t.operators[0].options.activation = TfliteActivation::Relu; };
  const auto float_weights = [](TfliteModel& t) {
    t.tensors[static_cast<size_t>(t.operators[0].inputs[3])].type = TfliteType::Float32;
  };
  const auto per_channel = [](TfliteModel& t) {
    auto& q = t.tensors[static_cast<size_t>(t.operators[0].inputs[6])].quant;
    q.scales.push_back(q.scales[0]);
    q.zero_points.push_back(0);
  };
  const auto state = [](TfliteModel& t) {
    t.tensors[static_cast<size_t>(t.operators[0].inputs[19])].is_variable = false;
  };
  CHECK_THAT(lstm_error(m, peephole),
             Contains("operator 0 (UNIDIRECTIONAL_SEQUENCE_LSTM)") && Contains("peephole"));
  CHECK_THAT(lstm_error(m, cifg), Contains("operator 0") && Contains("CIFG"));
  CHECK_THAT(lstm_error(m, projection), Contains("operator 0") && Contains("projection"));
  CHECK_THAT(lstm_error(m, layer_norm), Contains("operator 0") && Contains("layer normalization"));
  CHECK_THAT(lstm_error(m, activation), Contains("operator 0") && Contains("not tanh"));
  CHECK_THAT(lstm_error(m, float_weights), Contains("operator 0") && Contains("constant int8"));
  CHECK_THAT(lstm_error(m, per_channel), Contains("operator 0") && Contains("per-tensor"));
  CHECK_THAT(lstm_error(m, state), Contains("operator 0") && Contains("int16 variable"));

  TensorValue wrong = input_value("trained_lstm_int8", 0);
  wrong.shape = {28, 28};
  CHECK_THROWS_WITH(eval_tflite_lstm(m, m.operators[0], wrong),
                    Contains("operator 0") && Contains("input value"));
  CHECK_THROWS_WITH(eval_tflite_lstm(m, m.operators[1], input_value("trained_lstm_int8", 0)),
                    Contains("operator 1") && Contains("is not UNIDIRECTIONAL_SEQUENCE_LSTM"));
}
