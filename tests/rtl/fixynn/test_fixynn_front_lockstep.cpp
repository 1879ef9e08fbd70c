// The generated FixyNN front end (fixynn_top) in lockstep with the C++ core through the generic harness
// (cosim::Lockstep<FixynnFrontBlock>): every port of every stage on every cycle, both frames, random
// out_ready stalls; every stage's first-frame output bit-exact against the golden layers; a changed weight
// constant in the RTL caught naming the stage and the channel.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/fixynn/fixynn_front_block.h"
#include "models/fixynn/frame_driver.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/cosim/lockstep.h"
#include "tests/rtl/fixynn/model_front.h"
#include "tests/rtl/fixynn/test_net.h"

using namespace npusim;
using namespace npusim::fixynn;
using Catch::Matchers::Contains;

namespace {

constexpr int64_t kMaxCycles = 2000000;

TensorI8 random_frame(const FixedNet& net, uint64_t seed) {
  const FixedStage& st = net.stages.front();
  TensorI8 in({st.H, st.W, st.in_channels()});
  Rng rng(seed, "fixynn_front_frame");
  for (int8_t& v : in.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  return in;
}

// Lockstep of `net` with the last stage's out_ready low with probability `stall`; checks every stage
// against `golden` and that every edge was compared. Returns the first frame's stalled cycles.
int64_t check_lockstep(const FixedNet& net, const TensorI8& input, const std::vector<TensorI8>& golden,
                       double stall, uint64_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  cosim::Lockstep<FixynnFrontBlock> ls(FrontShape{net});
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Rng ready(seed, "fixynn_front_out_ready");
  const FrameResult r = run_frame(ls, input, kMaxCycles, [&](int64_t) { return !ready.bernoulli(stall); });
  REQUIRE(r.outputs.size() == golden.size());
  for (size_t s = 0; s < golden.size(); ++s) {
    INFO("stage " << s << " (" << net.stages[s].name << ")");
    REQUIRE(r.outputs[s].shape == golden[s].shape);
    CHECK(r.outputs[s].data == golden[s].data);
  }
  CHECK(r.second_frame_equal);
  CHECK(ls.cycles_compared() == static_cast<uint64_t>(r.total_cycles) + 1);  // + the reset edge
  std::cout << net.stages.size() << " stages: " << ls.cycles_compared() << " cycles compared, frame "
            << r.cycles << ", period " << r.frame_period << " (plugin ready in " << build_s << " s)\n";
  return r.stages.back().stalled;
}

int64_t check_test_net(const FixedNet& net, uint64_t seed) {
  const TensorI8 in = random_frame(net, seed);
  return check_lockstep(net, in, test::golden_stages(net, in), 0.3, seed);
}

// The fault variant of `net` must throw a divergence on lane `channel` of the stage's out_data (the
// top's out_data when it is the last stage: that port comes first) naming the stage and the channel.
void check_fault(const FixedNet& net, const TensorI8& input, int stage, int channel) {
  cosim::Lockstep<FixynnFrontBlock> ls(FrontShape{net, stage, channel});
  const std::string lane = "out_data[" + std::to_string(channel) + "] (stage " + std::to_string(stage) + " (";
  const std::string chan = ") channel " + std::to_string(channel) + ")";
  REQUIRE_THROWS_WITH(run_frame(ls, input, kMaxCycles), Contains(lane) && Contains(chan));
}

constexpr const char* kVww = NPUSIM_TEST_MODELS "/vww_96_int8.tflite";
constexpr const char* kKws = NPUSIM_TEST_MODELS "/kws_ref_model.tflite";

}  // namespace

TEST_CASE("front lockstep: the test net", "[fixynn]") {
  CHECK(check_test_net(test::make_test_net(1), 1) > 0);
}

// More frames reach the requantizers' rounding ties (a remainder of exactly half, negative values
// included), where a wrong tie rule shows (scripts/mutate found tie-rule mutants one frame never reached).
TEST_CASE("front lockstep: the test net on 24 more random frames", "[fixynn]") {
  const FixedNet net = test::make_test_net(1);
  for (uint64_t seed = 2; seed < 26; ++seed) {
    INFO("frame seed " << seed);
    const TensorI8 in = random_frame(net, seed);
    check_lockstep(net, in, test::golden_stages(net, in), 0.3, seed);
  }
}

TEST_CASE("front lockstep: the edge-geometry net", "[fixynn]") {
  CHECK(check_test_net(test::make_edge_net(1), 2) > 0);
}

TEST_CASE("front lockstep: the corner nets", "[fixynn]") {
  int64_t stalled = 0;
  for (int v = 0; v < 6; ++v) {
    INFO("corner net " << v);
    stalled += check_test_net(test::make_corner_net(v, 1), 10 + static_cast<uint64_t>(v));
  }
  CHECK(stalled > 0);
}

TEST_CASE("front lockstep: a changed weight constant names stage and channel", "[fixynn]") {
  const FixedNet net = test::make_test_net(1);
  const TensorI8 in = random_frame(net, 1);
  check_fault(net, in, 1, 3);  // the fused stage: its 1x1's channel 3
  check_fault(net, in, 0, 2);
}

// KWS DS-CNN: layers 0 (CONV_2D 10x4 stride 2, 1 -> 64) and 1 (DEPTHWISE_CONV_2D 3x3, 64): two stages.
TEST_CASE("front lockstep: KWS first two layers", "[fixynn]") {
  const test::ModelFront f = test::model_front(kKws, 2, 5);
  REQUIRE(f.net.stages.size() == 2);
  CHECK(check_lockstep(f.net, f.input, f.stage_golden(), 0.25, 5) > 0);
  check_fault(f.net, f.input, 1, 17);
}

// VWW MobileNet: layers 0 (CONV_2D 3x3 stride 2, 3 -> 8), 1 (DEPTHWISE_CONV_2D 3x3, 8) and 2 (CONV_2D
// 1x1, 8 -> 16), the third conv-like layer: two stages, the second the fused depthwise + 1x1.
TEST_CASE("front lockstep: VWW through its third conv layer", "[fixynn]") {
  const test::ModelFront f = test::model_front(kVww, 3, 6);
  REQUIRE(f.net.stages.size() == 2);
  REQUIRE(f.net.stages[1].fused);
  CHECK(check_lockstep(f.net, f.input, f.stage_golden(), 0.25, 6) > 0);
  check_fault(f.net, f.input, 1, 9);
}

TEST_CASE("front block: generated sources are content-addressed and the fault changes one stage's text",
          "[fixynn]") {
  const FixedNet net = test::make_test_net(4);
  const std::vector<std::string> a = FixynnFrontBlock::sources(FrontShape{net});
  CHECK(FixynnFrontBlock::sources(FrontShape{net}) == a);  // reused
  const std::vector<std::string> f = FixynnFrontBlock::sources(FrontShape{net, 1, 0});
  REQUIRE(a.size() == f.size());
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i] != f[i]);  // another directory
    std::ifstream x(a[i]), y(f[i]);
    std::stringstream tx, ty;
    tx << x.rdbuf();
    ty << y.rdbuf();
    differ += tx.str() != ty.str();
  }
  CHECK(differ == 1);  // only fixynn_stage1.v
  REQUIRE_THROWS_AS(FixynnFrontBlock::sources(FrontShape{net, 2, 0}), InputError);
  REQUIRE_THROWS_AS(faulted_net(net, 1, 99), InputError);
}
