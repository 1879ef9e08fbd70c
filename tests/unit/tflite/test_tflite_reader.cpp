// The .tflite reader on the seven shipped models (tests/data/models) and on broken files.
#include <catch2/catch.hpp>
#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>

#include "sim/common/error.h"
#include "sim/workload/tflite/tflite_network.h"
#include "sim/workload/tflite/tflite_reader.h"

using namespace npusim;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::string model_path(const std::string& name) { return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/" + name; }

std::map<std::string, int> op_counts(const TfliteModel& m) {
  std::map<std::string, int> c;
  for (const auto& op : m.operators) ++c[op.op];
  return c;
}

int64_t total_macs(const TfliteModel& m) {
  int64_t t = 0;
  for (const auto& l : network_from_tflite(std::make_shared<const TfliteModel>(m)).layers) t += l.macs();
  return t;
}

std::vector<uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The reader's message for `bytes` written to a scratch file: it must be an InputError of one line
// that names the file.
std::string error_for(const std::vector<uint8_t>& bytes, const std::string& name) {
  const auto path = (std::filesystem::temp_directory_path() / ("npusim_test_" + name)).string();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  std::string msg;
  try {
    read_tflite(path);
  } catch (const InputError& e) {
    msg = e.what();
  }
  std::filesystem::remove(path);
  REQUIRE(!msg.empty());
  CHECK_THAT(msg, StartsWith(path + ": "));
  CHECK(msg.find('\n') == std::string::npos);
  return msg;
}

}  // namespace

TEST_CASE("every shipped model reads with its operators and MACs") {
  struct Expect {
    const char* file;
    size_t ops;
    std::map<std::string, int> counts;
    int64_t macs;
  };
  const std::vector<Expect> models = {
      {"kws_ref_model.tflite", 13,
       {{"CONV_2D", 5}, {"DEPTHWISE_CONV_2D", 4}, {"AVERAGE_POOL_2D", 1}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1},
        {"SOFTMAX", 1}},
       2656768},
      {"vww_96_int8.tflite", 31,
       {{"CONV_2D", 14}, {"DEPTHWISE_CONV_2D", 13}, {"AVERAGE_POOL_2D", 1}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1},
        {"SOFTMAX", 1}},
       7489664},
      {"pretrainedResnet_quant.tflite", 16,
       {{"CONV_2D", 9}, {"ADD", 3}, {"AVERAGE_POOL_2D", 1}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}},
       12501632},
      {"ad01_int8.tflite", 10, {{"FULLY_CONNECTED", 10}}, 264192},
      {"str_ww_ref_model.tflite", 11,
       {{"CONV_2D", 4}, {"DEPTHWISE_CONV_2D", 4}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}},
       826368},
      {"micro_speech_lstm.tflite", 4,
       {{"UNIDIRECTIONAL_SEQUENCE_LSTM", 1}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}}, 11760 + 49 * 4 * 80 * (257 + 80)},
      {"trained_lstm_int8.tflite", 4,
       {{"UNIDIRECTIONAL_SEQUENCE_LSTM", 1}, {"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}}, 5600 + 28 * 4 * 20 * (28 + 20)},
  };
  for (const auto& e : models) {
    INFO(e.file);
    const TfliteModel m = read_tflite(model_path(e.file));
    CHECK(m.operators.size() == e.ops);
    CHECK(op_counts(m) == e.counts);
    CHECK(total_macs(m) == e.macs);
    CHECK(m.inputs.size() == 1);
    CHECK(m.outputs.size() == 1);
    for (size_t i = 0; i < m.operators.size(); ++i) CHECK(m.operators[i].index == static_cast<int>(i));
  }
}

TEST_CASE("KWS DS-CNN: the first conv's geometry, options and per-channel quantization") {
  const TfliteModel m = read_tflite(model_path("kws_ref_model.tflite"));
  const TfliteOperator& conv = m.operators.at(0);
  REQUIRE(conv.op == "CONV_2D");
  CHECK(conv.builtin_code == 3);
  const Network net = network_from_tflite(std::make_shared<const TfliteModel>(m));
  CHECK(std::string(net.layers.at(0).unit()) == "array");
  const TfliteTensor& in = m.tensors.at(conv.inputs.at(0));
  const TfliteTensor& w = m.tensors.at(conv.inputs.at(1));
  const TfliteTensor& bias = m.tensors.at(conv.inputs.at(2));
  const TfliteTensor& out = m.tensors.at(conv.outputs.at(0));
  CHECK(in.shape == std::vector<int32_t>{1, 49, 10, 1});
  CHECK(w.shape == std::vector<int32_t>{64, 10, 4, 1});
  CHECK(out.shape == std::vector<int32_t>{1, 25, 5, 64});
  CHECK(in.type == TfliteType::Int8);
  CHECK(bias.type == TfliteType::Int32);
  CHECK(conv.options.padding == TflitePadding::Same);
  CHECK(conv.options.stride_h == 2);
  CHECK(conv.options.stride_w == 2);
  CHECK(conv.options.dilation_h == 1);
  CHECK(conv.options.activation == TfliteActivation::Relu);
  // Weights: one scale per output channel along dimension 0, symmetric; data present and sized.
  CHECK(w.quant.per_channel());
  CHECK(w.quant.scales.size() == 64);
  CHECK(w.quant.quantized_dimension == 0);
  CHECK(w.has_data());
  CHECK(w.data.size() == 64 * 10 * 4);
  CHECK(!in.has_data());
  CHECK(!in.quant.per_channel());
  CHECK(net.layers.at(0).macs() == 25 * 5 * 64 * 10 * 4);
  // Depthwise weights are per channel along their last dimension.
  const TfliteOperator& dw = m.operators.at(1);
  REQUIRE(dw.op == "DEPTHWISE_CONV_2D");
  CHECK(dw.options.depth_multiplier == 1);
  CHECK(m.tensors.at(dw.inputs.at(1)).quant.quantized_dimension == 3);
  // Units: the pool on the vector unit, reshape and softmax on the host.
  CHECK(std::string(net.layers.at(9).unit()) == "vector");
  CHECK(std::string(net.layers.at(10).unit()) == "host");
  CHECK(std::string(net.layers.at(12).unit()) == "host");
}

TEST_CASE("the LSTM keeps its absent optional inputs and its options") {
  const TfliteModel m = read_tflite(model_path("trained_lstm_int8.tflite"));
  const TfliteOperator& lstm = m.operators.at(0);
  REQUIRE(lstm.op == "UNIDIRECTIONAL_SEQUENCE_LSTM");
  CHECK(lstm.inputs.size() == 24);
  CHECK(std::count(lstm.inputs.begin(), lstm.inputs.end(), -1) > 0);
  CHECK(lstm.options.activation == TfliteActivation::Tanh);
  CHECK(lstm.options.cell_clip == 10.0f);
}

TEST_CASE("broken files are one-line InputErrors, never crashes") {
  const std::vector<uint8_t> good = file_bytes(model_path("kws_ref_model.tflite"));
  REQUIRE(good.size() > 1000);
  SECTION("truncated to its first 100 bytes") {
    const std::vector<uint8_t> cut(good.begin(), good.begin() + 100);
    CHECK_THAT(error_for(cut, "truncated.tflite"), Contains("not a valid TFLite flatbuffer (verification failed at"));
  }
  SECTION("64 bytes in the middle overwritten") {
    std::vector<uint8_t> bad = good;
    std::fill(bad.begin() + bad.size() / 2, bad.begin() + bad.size() / 2 + 64, uint8_t{0xff});
    const std::string msg = error_for(bad, "corrupt.tflite");
    CHECK_THAT(msg, Contains("verification failed at subgraphs[0].tensors["));
    CHECK_THAT(msg, Contains("offset"));
  }
  SECTION("a CSV file") {
    const std::string csv = "name,op,H,W,C\nconv1,conv,8,8,3\n";
    CHECK_THAT(error_for({csv.begin(), csv.end()}, "table.tflite"), Contains("missing TFL3 identifier at offset 4"));
  }
  SECTION("an empty file") {
    CHECK_THAT(error_for({}, "empty.tflite"), Contains("file too short"));
  }
  SECTION("a missing file") {
    CHECK_THROWS_AS(read_tflite(model_path("no_such_model.tflite")), InputError);
  }
}

TEST_CASE("an unsupported operator is named with its index") {
  try {
    read_tflite(model_path("bad/unsupported_op.tflite"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Contains("operator 1: unsupported op 'GATHER'"));
  }
}

TEST_CASE("every single-byte corruption of a small model is handled") {
  // Exhaustive over the first 640 bytes (the root table, vtables and operator codes) of the model.
  const std::vector<uint8_t> good = file_bytes(model_path("kws_ref_model.tflite"));
  int errors = 0;
  for (size_t i = 0; i < 640; ++i) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0xa5;
    try {
      parse_tflite(bad, "fuzz.tflite");
    } catch (const InputError&) {
      ++errors;
    }
  }
  CHECK(errors > 0);
}
