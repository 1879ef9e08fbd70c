// The cycle core against the golden ops: every stage's feature map bit-exact, frame timing, back-pressure.
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>

#include "models/fixynn/fixed_net_builder.h"
#include "models/fixynn/fixed_pipeline_core.h"
#include "models/fixynn/fixynn_front_core.h"
#include "models/fixynn/frame_driver.h"
#include "sim/common/error.h"
#include "sim/quant/conv2d.h"
#include "tests/unit/fixynn/fixynn_test_nets.h"

using namespace npusim;
using namespace npusim::fixynn;
using namespace npusim::fixynn::test;

namespace {

// 1..4 random layers: 3x3 / 5x3 / 1x1 convs, SAME / VALID, strides 1 / 2, dilation 2, depthwise (alone or
// followed by a pointwise the builder fuses), odd and even sizes.
TestChain random_chain(uint64_t seed) {
  Rng rng(seed, "fixynn_chain");
  TestChain c;
  int64_t H = rng.uniform(5, 14), W = rng.uniform(5, 14), C = rng.uniform(1, 6);
  const int n = static_cast<int>(rng.uniform(1, 4));
  for (int i = 0; i < n; ++i) {
    const std::string name = "l" + std::to_string(i);
    const int kind = static_cast<int>(rng.uniform(0, 5));
    const int64_t stride = (H >= 6 && W >= 6 && rng.bernoulli(0.3)) ? 2 : 1;
    Pad pad = rng.bernoulli(0.5) ? Pad::Same : Pad::Valid;
    Layer l;
    if (kind == 0 || kind == 1) {  // plain conv, 3x3 or 5x3
      const int64_t R = kind == 0 ? 3 : 5, S = 3;
      if (H < R || W < S) pad = Pad::Same;
      l = make_layer(name, OpType::Conv, H, W, C, rng.uniform(1, 6), R, S, stride, pad);
    } else if (kind == 2) {  // dilated 3x3
      if (H < 5 || W < 5) pad = Pad::Same;
      l = make_layer(name, OpType::Conv, H, W, C, rng.uniform(1, 6), 3, 3, 1, pad, 2);
    } else if (kind == 3) {  // 1x1
      l = make_layer(name, OpType::Conv, H, W, C, rng.uniform(1, 6), 1, 1, stride, Pad::Valid);
    } else {  // depthwise 3x3, maybe followed by a pointwise
      if (H < 3 || W < 3) pad = Pad::Same;
      l = make_layer(name, OpType::DwConv, H, W, C, C, 3, 3, stride, pad, 1, true);
    }
    H = l.out_h, W = l.out_w;
    const int64_t K = l.K;
    const bool dw = kind == 4;
    c.add(std::move(l), rng);
    C = K;
    if (dw && rng.bernoulli(0.7)) {
      Layer pw = make_layer(name + "pw", OpType::Conv, H, W, C, rng.uniform(1, 6), 1, 1, 1, Pad::Valid);
      C = pw.K;
      c.add(std::move(pw), rng);
    }
  }
  return c;
}

// Each stage's output equals the golden output of the last layer it implements.
void check_outputs(const TestChain& c, const FixedNet& net, const FrameResult& r) {
  const std::vector<TensorI8> golden = c.golden();
  size_t layer = 0;
  for (size_t s = 0; s < net.stages.size(); ++s) {
    layer += net.stages[s].layers.size();
    INFO("stage " << s << " '" << net.stages[s].name << "'");
    REQUIRE(r.outputs[s].shape == golden[layer - 1].shape);
    CHECK(r.outputs[s].data == golden[layer - 1].data);
  }
  CHECK(r.second_frame_equal);
}

}  // namespace

TEST_CASE("core: every stage bit-exact with the golden ops on random layers", "[fixynn]") {
  int fused = 0, stages = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    INFO("seed " << seed);
    const TestChain c = random_chain(seed);
    const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
    FixynnFrontCore core(FrontShape{net});
    const FrameResult r = run_frame(core, c.input, 1000000);
    check_outputs(c, net, r);
    for (const FixedStage& st : net.stages) fused += st.fused ? 1 : 0;
    stages += static_cast<int>(net.stages.size());
  }
  CHECK(fused >= 5);  // the random chains do exercise fusion
  CHECK(stages >= 100);
}

TEST_CASE("core: random back-pressure keeps outputs exact and never deadlocks", "[fixynn]") {
  int64_t stalled = 0;
  for (uint64_t seed = 100; seed < 130; ++seed) {
    INFO("seed " << seed);
    const TestChain c = random_chain(seed);
    const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
    FixynnFrontCore core(FrontShape{net});
    Rng ready(seed, "out_ready");
    const double p = 0.2 + 0.6 * ready.uniform01();
    const FrameResult r = run_frame(core, c.input, 1000000, [&](int64_t) { return ready.bernoulli(p); });
    check_outputs(c, net, r);
    stalled += r.stages.back().stalled;
  }
  CHECK(stalled > 100);
}

TEST_CASE("core: a 3x3 SAME stage on 8x8 takes H*W + W + 3 cycles a frame", "[fixynn]") {
  Rng rng(7, "timing");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 8, 8, 4, 4, 3, 3, 1, Pad::Same), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixynnFrontCore core(FrontShape{net});
  const FrameResult r = run_frame(core, c.input, 10000);
  check_outputs(c, net, r);
  std::cout << "fixynn 8x8x4 3x3 SAME: frame " << r.cycles << " cycles, period " << r.frame_period
            << " (input period " << r.input_period << "), first output at " << r.stages[0].first_output
            << ", busy " << r.stages[0].busy << ", idle " << r.stages[0].idle << "\n";
  // One input pixel a cycle without bubbles (the spare line-buffer row lets row r + 2 stream in while the
  // last windows of output row r still read row r - 1); output row 7 drains after the last pixel (8 emits
  // after (6,6), (6,7): 3 + 8): 64 + 11.
  CHECK(r.cycles == 75);
  CHECK(r.frame_period == 75);
  CHECK(r.input_period == 75);
  CHECK(r.stages[0].first_output == 11);  // (0,0) needs pixel (1,1) = 9: emitted in 10, visible in 11
  CHECK(r.stages[0].busy == 64);
  CHECK(r.stages[0].stalled == 0);
}

TEST_CASE("core: a deep chain pipelines frames (period ~ the slowest stage)", "[fixynn]") {
  Rng rng(8, "timing");
  TestChain c;
  c.add(make_layer("c1", OpType::Conv, 16, 16, 3, 8, 3, 3, 1, Pad::Same), rng);
  c.add(make_layer("dw", OpType::DwConv, 16, 16, 8, 8, 3, 3, 1, Pad::Same, 1, true), rng);
  c.add(make_layer("pw", OpType::Conv, 16, 16, 8, 8, 1, 1, 1, Pad::Valid), rng);
  c.add(make_layer("c2", OpType::Conv, 16, 16, 8, 4, 3, 3, 2, Pad::Same), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  REQUIRE(net.stages.size() == 3);
  FixynnFrontCore core(FrontShape{net});
  const FrameResult r = run_frame(core, c.input, 100000);
  check_outputs(c, net, r);
  std::cout << "fixynn 16x16 conv3x3 / dw3x3+pw / conv3x3 s2: frame " << r.cycles << " cycles, period "
            << r.frame_period << " (input period " << r.input_period << ")\n";
  for (size_t s = 0; s < r.stages.size(); ++s) {
    std::cout << "  stage " << net.stages[s].name << ": outputs " << r.stages[s].first_output << ".."
              << r.stages[s].last_output << ", busy " << r.stages[s].busy << ", stalled "
              << r.stages[s].stalled << ", idle " << r.stages[s].idle << "\n";
  }
  CHECK(r.cycles < 2 * 256);
  CHECK(r.frame_period < 256 + 4 * 16);  // ~ H*W + 2H + W for a 3x3 SAME stage (see the 8x8 case)
}

TEST_CASE("core: ports follow the contract cycle by cycle", "[fixynn]") {
  Rng rng(9, "ports");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 4, 5, 2, 3, 3, 3, 1, Pad::Valid), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixedPipelineCore core(net);
  core.reset();
  StagePorts& in = core.first_ports();
  core.set_out_ready(true);
  int64_t fed = 0;
  std::vector<int64_t> accept_cycles, output_cycles;
  for (int64_t t = 0; t < 40; ++t) {
    in.in_valid = fed < 20;
    if (in.in_valid) std::copy_n(c.input.data.begin() + fed * 2, 2, in.in_data.begin());
    core.eval_comb();
    if (in.in_valid && core.ports(0).in_ready) {
      accept_cycles.push_back(t);
      ++fed;
    }
    if (core.ports(0).out_valid) output_cycles.push_back(t);
    core.tick();
  }
  // VALID 3x3 on 4x5: output (0,0) needs pixel (2,2) = 12, accepted in cycle 12; emitted in cycle 13 and
  // visible in 14. With the spare buffer row, row 3 overwrites no row output row 0 needs: one pixel a cycle.
  REQUIRE(accept_cycles.size() == 20);
  CHECK(accept_cycles[14] == 14);
  CHECK(accept_cycles[15] == 15);
  REQUIRE(output_cycles.size() == 6);
  CHECK(accept_cycles[19] == 19);
  // Row 1 of the output: (1,0) needs pixel 17 (accepted in 17), emitted in 18, visible in 19.
  CHECK(output_cycles == std::vector<int64_t>{14, 15, 16, 19, 20, 21});
}

TEST_CASE("core: windows wholly in the padding", "[fixynn]") {
  Rng rng(10, "pad");
  TestChain c;
  Layer l = make_layer("c", OpType::Conv, 5, 6, 3, 4, 3, 3, 2, Pad::Valid);
  l.pad_top = l.pad_left = 3, l.pad_bottom = 2,
  l.pad_right = 4;  // first row / column of windows see no pixel
  const quant::ConvGeom g = quant::conv_geom(l);
  l.out_h = g.out_h, l.out_w = g.out_w;
  c.add(std::move(l), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixynnFrontCore core(FrontShape{net});
  check_outputs(c, net, run_frame(core, c.input, 10000));
}

TEST_CASE("core: simulation speed on a 224x224 first layer", "[.bench]") {
  Rng rng(11, "bench");
  TestChain c;
  c.add(make_layer("c1", OpType::Conv, 224, 224, 3, 16, 3, 3, 2, Pad::Same), rng);
  c.add(make_layer("dw", OpType::DwConv, 112, 112, 16, 16, 3, 3, 1, Pad::Same, 1, true), rng);
  c.add(make_layer("pw", OpType::Conv, 112, 112, 16, 32, 1, 1, 1, Pad::Valid), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixynnFrontCore core(FrontShape{net});
  const auto t0 = std::chrono::steady_clock::now();
  const FrameResult r = run_frame(core, c.input, 10000000);
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  check_outputs(c, net, r);
  std::cout << "fixynn 224x224 conv3x3s2 + dw3x3+pw: frame " << r.cycles << " cycles, period "
            << r.frame_period << ", " << r.total_cycles << " cycles simulated in " << sec << " s ("
            << static_cast<double>(r.total_cycles) / sec / 1e6 << " Mcycles/s)\n";
}

TEST_CASE("core: reset in the middle of a frame, then a clean frame", "[fixynn]") {
  const TestChain c = random_chain(200);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixynnFrontCore core(FrontShape{net});
  FrontInputs in(core.shape());
  in.in_valid = in.out_ready = true;
  for (int t = 0; t < 37; ++t) core.step(in);
  check_outputs(c, net, run_frame(core, c.input, 1000000));  // run_frame resets first
}

TEST_CASE("frame driver: an input of the wrong shape", "[fixynn]") {
  Rng rng(12, "driver");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 6, 5, 2, 3, 3, 3, 1, Pad::Same), rng);
  const FixedNet net = build_fixed_net(c.layer_ptrs(), c.op_ptrs(), 0);
  FixynnFrontCore core(FrontShape{net});
  REQUIRE_THROWS_AS(run_frame(core, random_input(5, 6, 2, rng), 1000), InputError);
  REQUIRE_THROWS_AS(run_frame(core, c.input, 20), VerificationError);  // too few cycles for two frames
}
