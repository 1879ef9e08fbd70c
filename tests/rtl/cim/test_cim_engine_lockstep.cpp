// The cim engine's C++ core against its Verilated RTL (rtl/cim, DPI-C into the analog kernel) through
// the generic lockstep (sim/cosim): random layers back to back on two shapes (row splits, k not a multiple
// of LANES_OUT, n_in not a multiple of LANES_IN, random out_ready stalls), noise-free and noisy kernel,
// every port compared every cycle, outputs against the reference; the RTL alone behind the same driver;
// each deliberate fault variant caught with the port and cycle named.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "models/cim/cim_engine_block.h"
#include "models/cim/cim_layer_driver.h"
#include "sim/common/rng.h"
#include "sim/cosim/lockstep.h"
#include "tests/rtl/cim/test_kernel.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

struct Bench {
  std::shared_ptr<test::TestKernel> kernel;
  CimEngineShape shape;
};

Bench bench(int n_in, int k_max, int s_max, int lanes_in, int lanes_out) {
  Bench b;
  b.kernel = std::make_shared<test::TestKernel>(n_in, k_max, 11);
  b.shape.n_in = n_in, b.shape.k_max = k_max, b.shape.s_max = s_max;
  b.shape.lanes_in = lanes_in, b.shape.lanes_out = lanes_out;
  b.shape.kernel = b.kernel;
  return b;
}

// Layers back to back on one lockstep; returns the edges compared.
uint64_t random_layers(const Bench& b, int layers, int noise, uint64_t seed) {
  cosim::Lockstep<CimEngineBlock> ls(b.shape);
  uint32_t clips = 0;
  for (int i = 0; i < layers; ++i) {
    const LayerJob job = test::random_job(b.shape, seed + static_cast<uint64_t>(i), i % 2 == 1);
    b.kernel->set_layer(job.cfg.n_in, job.cfg.splits, noise);
    const LayerResult r = run_layer(ls, job);  // throws DivergenceError on the first mismatch
    const test::Reference ref = test::reference_layer(*b.kernel, job);
    INFO("layer " << i);
    CHECK(r.outputs == ref.outputs);
    CHECK(r.code_sums == ref.code_sums);
    CHECK(r.clip_count == ref.clip_count);
    clips += r.clip_count;
  }
  CHECK(clips > 0);
  return ls.cycles_compared();
}

// A layer whose ADC clips and whose periphery scales by about 1 (so a rounding slip shows on out_data).
LayerJob fault_job(const CimEngineShape& shape) {
  LayerJob job = test::random_job(shape, 5, false);
  job.cfg.adc_max = 300;
  job.cfg.pixels = 6;
  job.inputs.resize(static_cast<size_t>(6 * job.cfg.n_in));
  for (size_t i = 0; i < job.inputs.size(); ++i) job.inputs[i] = static_cast<int8_t>(i * 37 % 256);
  job.cfg.out = OutputParams{};
  for (auto& p : job.params) {
    p.m = static_cast<int32_t>(4000 + 613 * (&p - job.params.data()));  // acc = code sum x ~0.06..0.13
    p.bias = 0;
    p.qmult = 1 << 30, p.qshift = 1;  // x 1.0
  }
  return job;
}

cosim::Divergence caught(const Bench& b, CimEngineFault fault) {
  cosim::Lockstep<CimEngineBlock> ls(b.shape, fault);
  const LayerJob job = fault_job(b.shape);
  b.kernel->set_layer(job.cfg.n_in, job.cfg.splits, 0);
  try {
    run_layer(ls, job);
  } catch (const cosim::DivergenceError& e) {
    return e.divergence;
  }
  FAIL("the fault variant was not caught");
  return {};
}

}  // namespace

TEST_CASE("lockstep 20x7x3 lanes 3/3, noise-free and noisy") {
  const Bench b = bench(20, 7, 3, 3, 3);
  CHECK(random_layers(b, 12, 0, 100) > 500);
  CHECK(random_layers(b, 12, 4, 200) > 500);
}

TEST_CASE("lockstep 9x5x2 lanes 4/2, noise-free and noisy") {
  const Bench b = bench(9, 5, 2, 4, 2);
  CHECK(random_layers(b, 12, 0, 300) > 300);
  CHECK(random_layers(b, 12, 2, 400) > 300);
}

TEST_CASE("lockstep 20x7x3: clip and periphery bit-exact on extreme values") {
  const Bench b = bench(20, 7, 3, 3, 3);
  cosim::Lockstep<CimEngineBlock> ls(b.shape);
  b.kernel->set_wild(true);
  uint32_t clips = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const LayerJob job = test::extreme_job(b.shape, seed);
    b.kernel->set_layer(job.cfg.n_in, job.cfg.splits, 0);
    const LayerResult r = run_layer(ls, job);
    const test::Reference ref = test::reference_layer(*b.kernel, job);
    INFO("layer " << seed);
    CHECK(r.outputs == ref.outputs);
    CHECK(r.code_sums == ref.code_sums);
    CHECK(r.clip_count == ref.clip_count);
    clips += r.clip_count;
  }
  CHECK(clips > 0);
}

TEST_CASE("RTL alone behind the driver equals the reference") {
  const Bench b = bench(9, 5, 2, 4, 2);
  cosim::RtlBlock<CimEngineBlock> rtl(b.shape);
  const LayerJob job = test::random_job(b.shape, 77, true);
  b.kernel->set_layer(job.cfg.n_in, job.cfg.splits, 3);
  const LayerResult r = run_layer(rtl, job);
  const test::Reference ref = test::reference_layer(*b.kernel, job);
  CHECK(r.outputs == ref.outputs);
  CHECK(r.code_sums == ref.code_sums);
}

TEST_CASE("fault adc_clip is caught on out_sum or clip_count") {
  const cosim::Divergence d = caught(bench(20, 7, 3, 3, 3), CimEngineFault::AdcClip);
  INFO(d.message());
  CHECK((d.port == "out_sum" || d.port == "clip_count" || d.port == "out_data"));
  CHECK(d.cycle > 0);
  CHECK(d.message().find("cycle " + std::to_string(d.cycle)) != std::string::npos);
}

TEST_CASE("fault periph_shift is caught on out_data") {
  const cosim::Divergence d = caught(bench(20, 7, 3, 3, 3), CimEngineFault::PeriphShift);
  INFO(d.message());
  CHECK(d.port == "out_data");
  CHECK(d.where.find("channel ") != std::string::npos);
  CHECK(d.message().find("cycle " + std::to_string(d.cycle)) != std::string::npos);
}

namespace {

// Wraps the lockstep and adds, on the edges where the cycle contract says they are ignored: cfg_valid with
// a random config outside idle, in_valid with random data outside load, parameter beats for channels at
// or past K_MAX, and idle edges (cfg_valid low, the other pins random) before the driver's cfg edge. A
// correct engine ignores all of it: the layer still equals the reference, and model and RTL still agree.
class IgnoredInputs final : public CimEngineIf {
 public:
  IgnoredInputs(cosim::Lockstep<CimEngineBlock>& ls, uint64_t seed)
      : ls_(ls), rng_(seed, "test:cim-ignored") {}
  const CimEngineShape& shape() const override { return ls_.shape(); }
  const CimEngineOutputs& outputs() const override { return ls_.outputs(); }
  void step(const CimEngineInputs& driven) override {
    const auto phase = static_cast<CimPhase>(ls_.outputs().phase);
    if (!driven.rst && driven.cfg_valid && phase == CimPhase::Idle) {
      for (int gap = static_cast<int>(rng_.uniform(0, 3)); gap > 0; --gap) {
        CimEngineInputs idle(shape());
        garbage(idle);
        ls_.step(idle);
      }
    }
    CimEngineInputs in = driven;
    if (!in.rst) garbage(in);
    ls_.step(in);
  }

 private:
  // Random values on the pins the engine must ignore in this phase.
  void garbage(CimEngineInputs& in) {
    const auto phase = static_cast<CimPhase>(ls_.outputs().phase);
    if (phase != CimPhase::Idle && !in.cfg_valid && rng_.bernoulli(0.3)) {
      in.cfg_valid = true;
      in.cfg_n_in = static_cast<uint16_t>(rng_.uniform(0, 40));
      in.cfg_k = static_cast<uint16_t>(rng_.uniform(0, 9));
      in.cfg_splits = static_cast<uint8_t>(rng_.uniform(0, 4));
      in.cfg_slots = static_cast<uint16_t>(rng_.uniform(0, 128));
      in.cfg_dac_shift = static_cast<uint8_t>(rng_.uniform(0, 7));
      in.cfg_adc_max = static_cast<uint32_t>(rng_.uniform(0, 5000));
      in.cfg_adc_cycles = static_cast<uint8_t>(rng_.uniform(0, 5));
      in.cfg_pixels = static_cast<uint32_t>(rng_.uniform(0, 6));
    }
    if (phase != CimPhase::Load && !in.in_valid && rng_.bernoulli(0.3)) {
      in.in_valid = true;
      for (auto& x : in.in_data) x = static_cast<int8_t>(rng_.uniform(-128, 127));
    }
    if (!in.par_valid && rng_.bernoulli(0.2)) {
      in.par_valid = true;
      in.par_ch = static_cast<uint16_t>(rng_.uniform(shape().k_max, shape().k_max + 3));
      in.par_m = static_cast<int32_t>(rng_.uniform(-1000, 1000));
      in.par_qmult = static_cast<int32_t>(rng_.uniform(0, 1 << 30));
      in.par_qshift = static_cast<int8_t>(rng_.uniform(-31, 31));
    }
  }

  cosim::Lockstep<CimEngineBlock>& ls_;
  Rng rng_;
};

}  // namespace

TEST_CASE(
    "lockstep 9x5x2 lanes 4/2 with DAC shifts and ignored inputs (cfg outside idle, data outside load)") {
  const Bench b = bench(9, 5, 2, 4, 2);
  for (int noise : {0, 2}) {
    cosim::Lockstep<CimEngineBlock> ls(b.shape);
    IgnoredInputs driver(ls, 500 + static_cast<uint64_t>(noise));
    int shifted = 0;
    for (int i = 0; i < 16; ++i) {
      LayerJob job = test::shifted_job(b.shape, 600 + static_cast<uint64_t>(i), i % 2 == 1);
      shifted += job.cfg.dac_shift > 0;
      if (i % 4 <
          2) {  // periphery gain about 1 (Q16 m ~ 0.03..1, requant x 1.0): its rounding shows on out_data
        for (auto& p : job.params) {
          p.m = static_cast<int32_t>(2000 + 4111 * (&p - job.params.data()) + 997 * i);
          p.bias = static_cast<int32_t>(i) - 8;
          p.qmult = 1 << 30, p.qshift = 1;
        }
        job.cfg.out = OutputParams{};
      }
      b.kernel->set_layer(job.cfg.n_in, job.cfg.splits, noise);
      const LayerResult r = run_layer(driver, job);  // throws DivergenceError on the first mismatch
      const test::Reference ref = test::reference_layer(*b.kernel, job);
      INFO("layer " << i << ", dac_shift " << job.cfg.dac_shift);
      CHECK(r.outputs == ref.outputs);
      CHECK(r.code_sums == ref.code_sums);
    }
    CHECK(shifted >= 8);
    CHECK(ls.cycles_compared() > 300);
  }
}

// The cycle contract bounds a layer by the engine's size (rows < min(cfg_n_in, N_IN), channels < min(cfg_k,
// K_MAX), splits < min(cfg_splits, S_MAX)); the layer driver never sends more, so this drives the pins
// directly with a config past every bound and compares every port until done.
TEST_CASE("lockstep 9x5x2 lanes 4/2 with a config past the engine's rows, channels and splits") {
  const Bench b = bench(9, 5, 2, 4, 2);
  b.kernel->set_layer(9, 2, 0);
  cosim::Lockstep<CimEngineBlock> ls(b.shape);
  CimEngineInputs in(b.shape);
  in.rst = true;
  ls.step(in);
  in.clear();
  in.cfg_valid = true;
  in.cfg_n_in = 13, in.cfg_k = 8, in.cfg_splits = 3, in.cfg_slots = 16, in.cfg_adc_max = 200;
  in.cfg_adc_cycles = 2, in.cfg_act_min = -128, in.cfg_act_max = 127, in.cfg_pixels = 3;
  ls.step(in);
  in.clear();
  for (int ch = 0; ch < 5; ++ch) {
    in.par_valid = true;
    in.par_ch = static_cast<uint16_t>(ch);
    in.par_m = 3000 + 1000 * ch, in.par_qmult = 1 << 30, in.par_qshift = 1;
    ls.step(in);
  }
  in.clear();
  Rng rng(9, "test:cim-past-bounds");
  bool done = false;
  int64_t beats = 0;
  for (int c = 0; c < 5000 && !done; ++c) {
    in.in_valid = ls.outputs().in_ready;
    for (auto& x : in.in_data) x = static_cast<int8_t>(rng.uniform(-128, 127));
    in.out_ready = rng.bernoulli(0.7);
    beats += ls.outputs().out_valid && in.out_ready;
    ls.step(in);  // throws DivergenceError on the first mismatch
    done = ls.outputs().done;
  }
  CHECK(done);
  // 3 pixels x ceil(8 / LANES_OUT) beats: the beats run to cfg_k, lanes past K_MAX are 0.
  CHECK(beats == 3 * 4);
}
