// Per-stage yosys synthesis of the generated RTL: positive area and adders, the on-disk cache (a hit on
// the same text, a miss on changed text), and a yosys failure naming the module.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "models/fixynn/fixynn_synth.h"
#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/workload/tflite/tflite_reader.h"
#include "tests/unit/fixynn_cost/fixynn_cost_nets.h"

using namespace npusim;
using namespace npusim::fixynn;
using namespace npusim::fixynn::test;

namespace {

// A fresh cache directory per test case (the build tree keeps it for inspection).
std::string fresh_cache(const std::string& name) {
  const std::string dir = std::string(NPUSIM_FIXYNN_SYNTH_TEST_DIR) + "/" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

// One small stage: 3x3 SAME conv 2 -> 2 on 3 x 3, weights with 1..3 CSD digits.
FixedNet small_net() {
  FixedNet net;
  std::vector<int8_t> w(2 * 9 * 2, 0);
  const int8_t values[] = {3, -17, 100, 7, 1, -45, 85, 2};
  for (size_t i = 0; i < std::size(values); ++i) w[i * 4 + (i & 1)] = values[i];  // both channels used
  net.stages.push_back(make_stage(3, 3, make_conv(3, 3, 2, 2, w, {10, -20}), 1, 1, 1));
  return net;
}

}  // namespace

TEST_CASE("synthesis of a small generated stage gives area and adders, and is cached", "[fixynn]") {
  StageSynthOptions o;
  o.cache_dir = fresh_cache("small");
  o.work_root = std::string(NPUSIM_FIXYNN_SYNTH_TEST_DIR) + "/work";
  o.timeout_s = 300;
  const FixedNet net = small_net();
  const std::vector<StageSynth> first = synth_fixynn_stages(net, o);
  REQUIRE(first.size() == 1);
  const StageSynth& s = first[0];
  CHECK_FALSE(s.cache_hit);
  CHECK(s.module == "fixynn_stage0");
  CHECK(s.cells > 0);
  CHECK(s.transistors > 0);
  CHECK(s.area_um2 > 0);
  // The line buffer alone is 4 rows x 3 pixels x 2 channels x 8 bits of flip-flops (synthesis keeps
  // only the channels some non-zero weight reads: both here).
  CHECK(s.flip_flops >= 4 * 3 * 2 * 8);
  CHECK(s.adder_cells > 0);
  CHECK(s.runtime_s > 0);
  // Same text: a cache hit with the same figures and no yosys run.
  const StageSynth again = synth_fixynn_stages(net, o)[0];
  CHECK(again.cache_hit);
  CHECK(again.key == s.key);
  CHECK(again.transistors == s.transistors);
  CHECK(again.adder_cells == s.adder_cells);
  CHECK(std::filesystem::exists(o.cache_dir + "/" + s.key + ".json"));
  // Changed text (a different constant): a miss, then a hit.
  FixedNet other = net;
  other.stages[0].first.weights[0] = 5;
  const StageSynth changed = synth_fixynn_stages(other, o)[0];
  CHECK_FALSE(changed.cache_hit);
  CHECK(changed.key != s.key);
  CHECK(synth_fixynn_stages(other, o)[0].cache_hit);
  // A different node is a different entry.
  StageSynthOptions o65 = o;
  o65.node = "65nm";
  const StageSynth at65 = synth_fixynn_stages(net, o65)[0];
  CHECK_FALSE(at65.cache_hit);
  CHECK(at65.area_um2 > s.area_um2);
}

TEST_CASE("the cache key follows the text, node and yosys version", "[fixynn]") {
  const std::string v = "module m; endmodule\n";
  const std::string k = stage_synth_key("m", v, "16nm", "Yosys 0.23");
  CHECK(k == stage_synth_key("m", v, "16", "Yosys 0.23"));
  CHECK(k != stage_synth_key("m", v + " ", "16nm", "Yosys 0.23"));
  CHECK(k != stage_synth_key("m", v, "14nm", "Yosys 0.23"));
  CHECK(k != stage_synth_key("m", v, "16nm", "Yosys 0.24"));
  CHECK_THROWS_AS(stage_synth_key("m", v, "3nm", "Yosys 0.23"), InputError);
}

TEST_CASE("a yosys failure is an error naming the stage", "[fixynn]") {
  StageSynthOptions o;
  o.cache_dir = fresh_cache("broken");
  o.work_root = std::string(NPUSIM_FIXYNN_SYNTH_TEST_DIR) + "/work";
  o.timeout_s = 60;
  CHECK_THROWS_WITH(synth_fixynn_stage("fixynn_stage3", "module fixynn_stage3 (input a; endmodule\n", o),
                    Catch::Contains("fixynn_stage3") && Catch::Contains("synth.log"));
  // Nothing was cached for the broken text.
  CHECK((!std::filesystem::exists(o.cache_dir) || std::filesystem::is_empty(o.cache_dir)));
}

TEST_CASE("a yosys timeout is an error naming the stage", "[fixynn]") {
  // A 3x3 8 -> 16 stage on 24 x 24 takes yosys far longer than one second.
  std::vector<int8_t> w(16 * 9 * 8, 3);
  FixedNet net;
  net.stages.push_back(make_stage(24, 24, make_conv(3, 3, 8, 16, w), 1, 1, 1));
  net.stages[0].name = "slow";
  StageSynthOptions o;
  o.cache_dir = fresh_cache("timeout");
  o.work_root = std::string(NPUSIM_FIXYNN_SYNTH_TEST_DIR) + "/work";
  o.timeout_s = 1;
  CHECK_THROWS_WITH(synth_fixynn_stages(net, o),
                    Catch::Contains("stage 0 'slow'") && Catch::Contains("timed out"));
}

// Hidden (run by hand: test_fixynn_cost "[fixynn_measure]"): yosys time of realistic stages. VWW's first
// conv (96 x 96 x 3 -> 8, 3x3 stride 2 SAME) with the model's weights, bias and input zero point (the
// requantization constants are placeholders: 2^30, shift -8), and a 3x3 8 -> 16 conv on
// $NPUSIM_MEASURE_SIZE (default 24) square frames with random dense int8 weights.
namespace {

void measure(const FixedStage& st, const std::string& what) {
  FixedNet net;
  net.stages.push_back(st);
  StageSynthOptions o;
  o.cache_dir = fresh_cache("measure_" + what);
  const StageSynth s = synth_fixynn_stages(net, o)[0];
  std::cout << what << " " << st.H << "x" << st.W << "x" << st.in_channels() << " -> " << st.out_channels()
            << ": cells " << s.cells << ", flip-flops " << s.flip_flops << ", transistors " << s.transistors
            << ", area " << s.area_um2 << " um2, adder cells " << s.adder_cells << ", yosys " << s.runtime_s
            << " s" << std::endl;
}

}  // namespace

TEST_CASE("measure yosys time of VWW's first conv", "[.][fixynn_measure]") {
  const TfliteModel m = read_tflite(std::string(NPUSIM_SOURCE_DIR) + "/tests/data/models/vww_96_int8.tflite");
  const TfliteOperator* conv = nullptr;
  for (const auto& op : m.operators)
    if (op.op == "CONV_2D") {
      conv = &op;
      break;
    }
  REQUIRE(conv);
  const TfliteTensor& wt = m.tensors[static_cast<size_t>(conv->inputs[1])];
  const TfliteTensor& bt = m.tensors[static_cast<size_t>(conv->inputs[2])];
  const TfliteTensor& xt = m.tensors[static_cast<size_t>(conv->inputs[0])];
  REQUIRE(wt.dims() == std::vector<int64_t>{8, 3, 3, 3});
  FixedConv vconv = make_conv(3, 3, 3, 8, wt.values<int8_t>(), bt.values<int32_t>());
  vconv.shift.assign(8, -8);
  vconv.input_zero_point = static_cast<int32_t>(xt.quant.zero_points.at(0));
  FixedStage vww = make_stage(96, 96, vconv, 2, 0, 0);
  vww.OH = vww.OW = 48;  // TensorFlow SAME: the padding row / column is at the bottom / right
  measure(vww, "vww_conv0");
}

TEST_CASE("measure yosys time of a random 3x3 8 -> 16 stage", "[.][fixynn_measure]") {
  const int64_t size =
      std::getenv("NPUSIM_MEASURE_SIZE") ? std::atoi(std::getenv("NPUSIM_MEASURE_SIZE")) : 24;
  Rng rng(1, "fixynn_measure");
  std::vector<int8_t> w(16 * 9 * 8);
  for (int8_t& v : w) v = static_cast<int8_t>(rng.uniform(-127, 127));
  std::vector<int32_t> b(16);
  for (int32_t& v : b) v = static_cast<int32_t>(rng.uniform(-3000, 3000));
  measure(make_stage(size, size, make_conv(3, 3, 8, 16, w, b), 1, 1, 1), "random");
}
