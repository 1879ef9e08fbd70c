// The cim engine's C++ cycle core alone (no RTL): its outputs, code sums and clip count against the
// straightforward reference (test_kernel.h) for random layers, with and without noise and out_ready
// stalls; its cycle count against the closed form engine_cycles(); the activity counts; the driver's
// rejection of a layer the shape cannot hold.
#include <catch2/catch.hpp>
#include <memory>

#include "models/cim/cim_engine_core.h"
#include "models/cim/cim_layer_driver.h"
#include "sim/common/error.h"
#include "tests/rtl/cim/test_kernel.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

CimEngineShape make_shape(int n_in, int k_max, int s_max, int lanes_in, int lanes_out,
                          const std::shared_ptr<test::TestKernel>& kernel) {
  CimEngineShape s;
  s.n_in = n_in, s.k_max = k_max, s.s_max = s_max, s.lanes_in = lanes_in, s.lanes_out = lanes_out;
  s.kernel = kernel;
  return s;
}

void check_layers(int n_in, int k_max, int s_max, int lanes_in, int lanes_out, int layers) {
  auto kernel = std::make_shared<test::TestKernel>(n_in, k_max, 7);
  const CimEngineShape shape = make_shape(n_in, k_max, s_max, lanes_in, lanes_out, kernel);
  CimEngineCore core(shape);  // one core for every layer: layers follow each other
  uint32_t clips = 0;
  for (int i = 0; i < layers; ++i) {
    const bool stalls = i % 3 == 2;
    const LayerJob job =
        test::random_job(shape, static_cast<uint64_t>(i) * 31 + static_cast<uint64_t>(n_in), stalls);
    kernel->set_layer(job.cfg.n_in, job.cfg.splits, i % 2 ? 3 : 0);
    const LayerResult r = run_layer(core, job);
    const test::Reference ref = test::reference_layer(*kernel, job);
    INFO("layer " << i << " n_in " << job.cfg.n_in << " k " << job.cfg.k << " splits " << job.cfg.splits);
    CHECK(r.outputs == ref.outputs);
    CHECK(r.code_sums == ref.code_sums);
    CHECK(r.clip_count == ref.clip_count);
    clips += r.clip_count;
    const CimLayerConfig& c = job.cfg;
    const int64_t formula = engine_cycles(shape, c.n_in, c.k, c.slots, c.adc_cycles, c.pixels);
    if (stalls)
      CHECK(r.cycles >= formula);
    else
      CHECK(r.cycles == formula);
    CHECK(r.activity.input_beats == c.pixels * cim_beats(c.n_in, lanes_in));
    CHECK(r.activity.output_beats == c.pixels * cim_beats(c.k, lanes_out));
    int64_t pulses = 0;
    for (int64_t p = 0; p < c.pixels; ++p)
      for (int row = 0; row < c.n_in; ++row) {
        const int x = job.inputs[static_cast<size_t>(p * c.n_in + row)];
        pulses += std::min(x < 0 ? -x : x, c.slots);
      }
    CHECK(r.activity.pwm_slot_rows == pulses);
    CHECK(r.activity.adc_conversions == c.pixels * c.k * c.splits);
  }
  CHECK(clips > 0);  // the random layers do clip
}

}  // namespace

TEST_CASE("core equals the reference, 20x7x3 lanes 3/3") {
  check_layers(20, 7, 3, 3, 3, 40);
}
TEST_CASE("core equals the reference, 8x4x1 lanes 4/1") {
  check_layers(8, 4, 1, 4, 1, 40);
}
TEST_CASE("core equals the reference, 1x1x1 lanes 1/1") {
  check_layers(1, 1, 1, 1, 1, 20);
}
TEST_CASE("core equals the reference, 33x16x4 lanes 8/5") {
  check_layers(33, 16, 4, 8, 5, 30);
}

TEST_CASE("core equals the reference on extreme values (wild codes, full-range parameters)") {
  auto kernel = std::make_shared<test::TestKernel>(20, 7, 3);
  kernel->set_wild(true);
  const CimEngineShape shape = make_shape(20, 7, 3, 3, 3, kernel);
  CimEngineCore core(shape);
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const LayerJob job = test::extreme_job(shape, seed);
    kernel->set_layer(job.cfg.n_in, job.cfg.splits, 0);
    const LayerResult r = run_layer(core, job);
    const test::Reference ref = test::reference_layer(*kernel, job);
    CHECK(r.outputs == ref.outputs);
    CHECK(r.code_sums == ref.code_sums);
  }
}

TEST_CASE("engine_cycles closed form on a directed layer") {
  auto kernel = std::make_shared<test::TestKernel>(10, 5, 1);
  const CimEngineShape shape = make_shape(10, 5, 2, 4, 2, kernel);
  // 1 + k + pixels * (ceil(10/4) + slots + adc + ceil(5/2)) = 1 + 5 + 3 * (3 + 8 + 2 + 3)
  CHECK(engine_cycles(shape, 10, 5, 8, 2, 3) == 54);
  LayerJob job;
  job.cfg.n_in = 10, job.cfg.k = 5, job.cfg.splits = 2, job.cfg.slots = 8, job.cfg.adc_cycles = 2;
  job.cfg.pixels = 3;
  job.params.assign(5, ChannelParams{});
  job.inputs.assign(30, 5);
  kernel->set_layer(10, 2, 0);
  CimEngineCore core(shape);
  CHECK(run_layer(core, job).cycles == 54);
}

TEST_CASE("driver rejects a layer the engine cannot hold") {
  auto kernel = std::make_shared<test::TestKernel>(4, 2, 1);
  CimEngineCore core(make_shape(4, 2, 1, 1, 1, kernel));
  LayerJob job;
  job.cfg.n_in = 5, job.cfg.k = 1;
  job.params.assign(1, ChannelParams{});
  job.inputs.assign(5, 0);
  CHECK_THROWS_AS(run_layer(core, job), InputError);
  job.cfg.n_in = 4, job.cfg.splits = 2;
  job.inputs.assign(4, 0);
  CHECK_THROWS_AS(run_layer(core, job), InputError);
  job.cfg.splits = 1;
  job.params[0].qshift = -40;
  CHECK_THROWS_AS(run_layer(core, job), InputError);
}

TEST_CASE("directed contract: phases, PWM pulses, readout beats, done for one cycle") {
  auto kernel = std::make_shared<test::TestKernel>(3, 3, 1);
  kernel->set_layer(3, 1, 0);
  CimEngineCore core(make_shape(3, 3, 1, 2, 2, kernel));
  CimEngineInputs in(core.shape());
  in.rst = true;
  core.step(in);
  in.clear();
  CHECK(core.outputs().cfg_ready);
  in.cfg_valid = true, in.cfg_n_in = 3, in.cfg_k = 3, in.cfg_splits = 1, in.cfg_slots = 4;
  in.cfg_adc_max = 1000, in.cfg_adc_cycles = 2, in.cfg_pixels = 1, in.cfg_act_min = -128,
  in.cfg_act_max = 127;
  core.step(in);
  in.clear();
  CHECK(core.outputs().phase == 1);
  CHECK(core.outputs().in_ready);
  // Two beats: rows 0, 1 then row 2 (lane 1 of the second beat is beyond n_in, ignored).
  in.in_valid = true;
  in.in_data = {5, -2};
  core.step(in);
  CHECK(core.outputs().phase == 1);
  in.in_data = {1, 99};
  core.step(in);
  in.clear();
  // PWM: levels clamp to +-4 -> {4, -2, 1}; rows on in slot s: |level| > s.
  const int pulses[] = {3, 2, 1, 1};
  for (int s = 0; s < 4; ++s) {
    INFO("slot " << s);
    CHECK(core.outputs().phase == 2);
    CHECK(core.outputs().pwm_slot == s);
    CHECK(core.outputs().pulse_rows == pulses[s]);
    core.step(in);
  }
  CHECK(core.outputs().phase == 3);
  CHECK(core.outputs().pulse_rows == 0);
  core.step(in);
  CHECK(core.outputs().phase == 3);
  core.step(in);
  CHECK(core.outputs().phase == 4);
  CHECK(core.outputs().out_valid);
  CHECK(core.outputs().out_ch0 == 0);
  in.out_ready = false;  // a stalled beat holds
  core.step(in);
  CHECK(core.outputs().out_ch0 == 0);
  in.out_ready = true;
  core.step(in);
  CHECK(core.outputs().out_ch0 == 2);
  CHECK(core.outputs().out_sum[1] == 0);  // channel 3 is beyond k
  CHECK(core.outputs().out_data[1] == 0);
  core.step(in);
  CHECK(core.outputs().done);
  CHECK(core.outputs().phase == 0);
  CHECK_FALSE(core.outputs().out_valid);
  core.step(in);
  CHECK_FALSE(core.outputs().done);
}
