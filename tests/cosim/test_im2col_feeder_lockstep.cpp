// The whole hardware-IM2COL datapath in lockstep: the sequencer loads raw input pixels into the
// im2col_unit and streams its outputs into the sa_array, with both blocks' C++ cores compared against
// their Verilated RTL on every output port on every edge. Random convolutions (kernel up to 5x7,
// stride, dilation, padding, groups, batch) on the scalar SA, dense STA, STA-DBB, VDBB and a
// non-power-of-two TPE, bit-exact against golden; and a bank fault in the unit is caught in context.
#include <catch2/catch.hpp>

#include "models/systolic/im2col_unit_block.h"
#include "models/systolic/sa_array_block.h"
#include "sim/cosim/divergence.h"
#include "sim/cosim/lockstep.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;

namespace {

struct Run {
  ArrayJobResult result;
  uint64_t array_cycles = 0, unit_cycles = 0;
};

Run run_lockstep(const ArchConfig& arch, const ArrayJob& job,
                 systolic::Im2colFault fault = systolic::Im2colFault::None) {
  cosim::Lockstep<systolic::SaArrayBlock> array(systolic::sa_shape(arch));
  cosim::Lockstep<systolic::Im2colUnitBlock> unit(systolic::im2col_unit_shape(arch), fault);
  systolic::SaEngine engine(arch, array, &unit);
  engine.begin(job);
  while (!engine.done()) engine.tick();
  return {engine.take_result(), array.cycles_compared(), unit.cycles_compared()};
}

void random_convs(ArchConfig arch, int layers, uint64_t seed) {
  edit_systolic(arch).im2col = "hardware";
  Rng rng(seed, "test:im2col-feeder-lockstep");
  for (int i = 0; i < layers; ++i) {
    Layer l = test::random_conv(rng);
    if (sys(arch).weights.mode != "dense") l.w_nnz = static_cast<int>(rng.uniform(1, sys(arch).tpe_b));
    const PreparedJob p = prepare_array_layer(l, seed * 100 + i, weight_scheme(arch, l));
    INFO(arch.name << " layer " << i << ": " << l.H << "x" << l.W << "x" << l.C << " -> " << l.K << " kernel "
                   << l.R << "x" << l.S << " stride " << l.stride_h << "," << l.stride_w << " dilation "
                   << l.dilation);
    REQUIRE(p.job.hw_im2col);
    const Run r = run_lockstep(arch, p.job);
    CHECK(test::compare_golden(r.result, p).empty());
    CHECK(r.array_cycles > 0);
    CHECK(r.unit_cycles == r.array_cycles + 2);  // + the two pad-slot writes before the job
  }
}

}  // namespace

TEST_CASE("im2col feeder lockstep SA 4x4") {
  random_convs(test::sa_arch(4, 4, false, 16), 12, 1);
}
TEST_CASE("im2col feeder lockstep STA 4x8x4 on 2x3") {
  random_convs(test::sta_arch(2, 3, 4, 8, 4, "dense", 8, 16), 6, 2);
}
TEST_CASE("im2col feeder lockstep STA 3x5x2 on 3x2 (non-power-of-two)") {
  random_convs(test::sta_arch(3, 2, 3, 5, 2, "dense", 5, 16), 6, 3);
}
TEST_CASE("im2col feeder lockstep STA-DBB 2x8x2 with 4 multipliers") {
  random_convs(test::sta_arch(2, 2, 2, 8, 2, "dbb", 4, 16), 8, 4);
}
TEST_CASE("im2col feeder lockstep VDBB 4x8x4 on 3x2") {
  random_convs(test::sta_arch(3, 2, 4, 8, 4, "vdbb", 1, 16), 6, 5);
}

TEST_CASE("im2col feeder lockstep catches a bank fault in the unit") {
  ArchConfig arch = test::sa_arch(4, 4, false, 16);
  edit_systolic(arch).im2col = "hardware";
  Rng rng(9, "test:im2col-feeder-fault");
  Layer l = test::random_conv(rng);
  l.H = l.W = 9, l.C = 5, l.K = 4, l.R = l.S = 3, l.stride_h = l.stride_w = 1, l.dilation = 1, l.groups = 1;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1, l.batch = 1, l.out_h = l.out_w = 9;
  const PreparedJob p = prepare_array_layer(l, 9, weight_scheme(arch, l));
  CHECK(test::compare_golden(run_lockstep(arch, p.job).result, p).empty());
  try {
    run_lockstep(arch, p.job, systolic::Im2colFault::Bank);
    FAIL("the bank fault was not caught");
  } catch (const cosim::DivergenceError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.find("lane 3") != std::string::npos);
  }
}
