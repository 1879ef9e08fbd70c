// Power-up values in lockstep: the RTL is verilated with --x-initial unique and each instance starts
// from values drawn from its reset seed (0 = all zeros). A register the reset misses (the dap_unit
// fault variant NPUSIM_FAULT_DAP_NO_RESET: out_idx keeps its power-up value through reset) is invisible
// when everything powers up to zero, and lockstep catches it as soon as the values are random, while
// the production RTL stays clean from the same random values.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "models/systolic/dap_unit_block.h"
#include "sim/common/rng.h"
#include "sim/cosim/lockstep.h"
#include "tests/support/reset_edge.h"

using namespace npusim;
using systolic::DapFault;
using systolic::DapInputs;
using systolic::DapShape;
using Lockstep = cosim::Lockstep<systolic::DapUnitBlock>;

namespace {

const DapShape kShape{4, 8};

// A reset edge, then `cycles` edges of random blocks (no further reset).
void run(Lockstep& ls, int cycles) {
  DapInputs in(kShape);
  test::reset_edge(ls, in);
  Rng rng(11, "test:reset-lockstep");
  for (int c = 0; c < cycles; ++c) {
    in.in_valid = rng.bernoulli(0.7);
    in.nnz = static_cast<uint32_t>(rng.uniform(0, kShape.bz));
    for (auto& d : in.in_data) d = static_cast<int8_t>(rng.uniform(-128, 127));
    ls.step(in);
  }
}

}  // namespace

TEST_CASE("a register without a reset goes unnoticed when the RTL powers up to zeros") {
  Lockstep ls(kShape, DapFault::NoReset, "", 0);
  CHECK_NOTHROW(run(ls, 300));
  CHECK(ls.cycles_compared() == 301);
}

TEST_CASE("lockstep catches a register without a reset from random power-up values") {
  for (uint32_t seed : {1u, 2u, 3u, 1234567u}) {
    INFO("reset seed " << seed);
    Lockstep ls(kShape, DapFault::NoReset, "", seed);
    try {
      run(ls, 300);
      FAIL("the missing reset was not caught");
    } catch (const cosim::DivergenceError& e) {
      const cosim::Divergence& d = e.divergence;
      CHECK(d.cycle == 0);  // right after the reset edge
      CHECK(d.port == "out_idx");
      CHECK(d.where.rfind("lane ", 0) == 0);
      CHECK(d.expected == 0);
      CHECK(d.actual != 0);
      CHECK(d.reset_seed == seed);
      CHECK(std::string(e.what()).find("power-up seed " + std::to_string(seed)) != std::string::npos);
    }
  }
}

TEST_CASE("the production RTL resets every register: clean from random power-up values") {
  for (uint32_t seed : {1u, 2u, 3u, 1234567u}) {
    INFO("reset seed " << seed);
    Lockstep ls(kShape, DapFault::None, "", seed);
    CHECK_NOTHROW(run(ls, 300));
    CHECK(ls.reset_seed() == seed);
  }
}

TEST_CASE("the RTL reset seed comes from NPUSIM_RTL_SEED, else 1") {
  ::setenv("NPUSIM_RTL_SEED", "77", 1);
  CHECK(cosim::rtl_reset_seed() == 77);
  CHECK(Lockstep(kShape).reset_seed() == 77);
  ::unsetenv("NPUSIM_RTL_SEED");
  CHECK(cosim::rtl_reset_seed() == 1);
}
