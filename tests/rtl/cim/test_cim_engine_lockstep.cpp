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
