// Lockstep of the hardware IM2COL unit's C++ core against its Verilated RTL (docs/im2col_unit.md):
// random legal stimulus (loads and reads on random banks, masks, addresses including out-of-range
// slots and partial loads at the end of a bank, occasional resets) on every prebuilt shape, every output
// port compared on every edge; a directed check of the contract itself; and the harness's ability to
// fail on the bank-select fault variant.
#include <catch2/catch.hpp>

#include "models/systolic/im2col_unit_block.h"
#include "sim/cosim/lockstep.h"
#include "tests/support/reset_edge.h"
#include "sim/common/rng.h"

using namespace npusim;
using systolic::Im2colFault;
using systolic::Im2colInputs;
using systolic::Im2colShape;

namespace {

// One cycle of random stimulus. Addresses cover the whole AW-bit port range (>= DEPTH when DEPTH is
// not a power of two, or 1 when DEPTH = 1); now and then bits above AW are set (they are not on the
// port: model and RTL shim both ignore them).
void random_inputs(const Im2colShape& s, Rng& rng, Im2colInputs& in) {
  const uint32_t span = 1u << s.aw();
  auto addr = [&]() {
    uint32_t a = static_cast<uint32_t>(rng.uniform(0, span - 1));
    if (rng.bernoulli(0.03)) a |= static_cast<uint32_t>(rng.uniform(1, 255)) << s.aw();
    return a;
  };
  in.rst = rng.bernoulli(0.005);
  in.ld_valid = rng.bernoulli(0.6);
  in.ld_bank = rng.bernoulli(0.5);
  in.ld_addr = addr();
  for (auto& d : in.ld_data) d = static_cast<int8_t>(rng.uniform(-128, 127));
  const double pm = rng.bernoulli(0.2) ? 0.3 : 0.9;
  for (auto& m : in.ld_mask) m = rng.bernoulli(pm);
  in.rd_valid = rng.bernoulli(0.7);
  in.rd_bank = rng.bernoulli(0.5);
  for (auto& a : in.rd_addr) a = addr();
  for (auto& m : in.rd_mask) m = rng.bernoulli(0.85);
}

uint64_t random_lockstep(const Im2colShape& s, int cycles) {
  cosim::Lockstep<systolic::Im2colUnitBlock> ls(s);
  Im2colInputs in(s);
  Rng rng(Rng::hash(std::to_string(s.lanes) + "x" + std::to_string(s.b) + "x" + std::to_string(s.depth) + "x" +
                    std::to_string(s.lw)),
          "test:im2col-lockstep");
  uint64_t nonzero = 0, valid = 0;
  test::reset_edge(ls, in);
  for (int c = 0; c < cycles; ++c) {
    random_inputs(s, rng, in);
    ls.step(in);  // throws DivergenceError on the first mismatch
    valid += ls.outputs().out_valid;
    for (int8_t v : ls.outputs().out_data) nonzero += v != 0;
  }
  CHECK(valid > static_cast<uint64_t>(cycles) / 2);
  CHECK(nonzero > 0);  // the stimulus actually moves data through the banks
  CHECK(ls.cycles_compared() == static_cast<uint64_t>(cycles) + 1);
  return ls.cycles_compared();
}

}  // namespace

TEST_CASE("im2col lockstep random 1x1x1x1 (LANES x B x DEPTH x LW)") { random_lockstep({1, 1, 1, 1}, 5000); }
TEST_CASE("im2col lockstep random 4x2x10x3") { random_lockstep({4, 2, 10, 3}, 5000); }
TEST_CASE("im2col lockstep random 16x8x48x4") { random_lockstep({16, 8, 48, 4}, 5000); }
TEST_CASE("im2col lockstep random 3x1x2x5 (LW > DEPTH)") { random_lockstep({3, 1, 2, 5}, 5000); }

TEST_CASE("im2col contract: double-buffered load, read latency, masks and out-of-range slots") {
  const Im2colShape s{4, 2, 10, 3};
  cosim::Lockstep<systolic::Im2colUnitBlock> ls(s);
  Im2colInputs in(s);
  test::reset_edge(ls, in);
  auto block = [](int bank, int slot, int ch) { return static_cast<int8_t>(bank * 64 + slot * 4 + ch + 1); };
  // Fill both banks three blocks per cycle; blocks at slot >= 10 (addr 9, 10 + l) are dropped.
  for (int bank = 0; bank < 2; ++bank) {
    for (int base = 0; base < 16; base += 3) {
      in.clear();
      in.ld_valid = true;
      in.ld_bank = bank;
      in.ld_addr = base;
      for (int l = 0; l < 3; ++l) {
        in.ld_mask[l] = !(bank == 1 && base + l == 4);  // bank 1 slot 4 never written
        for (int ch = 0; ch < 2; ++ch) in.ld_data[l * 2 + ch] = block(bank, base + l, ch);
      }
      ls.step(in);
      CHECK(ls.outputs().out_valid == 0);
    }
  }
  // Read bank 1 while loading bank 0 slot 2 at the same edge: the read sees the old bank contents.
  in.clear();
  in.rd_valid = true;
  in.rd_bank = 1;
  in.rd_addr = {2, 4, 9, 12};  // 4: never written (0); 12: out of range (0)
  in.rd_mask = {1, 1, 1, 1};
  in.ld_valid = true;
  in.ld_bank = 1;
  in.ld_addr = 2;
  in.ld_mask = {1, 0, 0};
  in.ld_data = {99, 98, 0, 0, 0, 0};
  ls.step(in);
  const auto& o = ls.outputs();
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == std::vector<int8_t>{block(1, 2, 0), block(1, 2, 1), 0, 0, block(1, 9, 0), block(1, 9, 1), 0, 0});
  // Next edge: bank 1 slot 2 holds the new block; lane 1 masked; rd_valid low afterwards holds out_data.
  in.clear();
  in.rd_valid = true;
  in.rd_bank = 1;
  in.rd_addr = {2, 0, 0, 3};
  in.rd_mask = {1, 0, 1, 1};
  ls.step(in);
  const std::vector<int8_t> expect{99, 98, 0, 0, block(1, 0, 0), block(1, 0, 1), block(1, 3, 0), block(1, 3, 1)};
  CHECK(o.out_data == expect);
  in.clear();
  ls.step(in);
  CHECK(o.out_valid == 0);
  CHECK(o.out_data == expect);
  // Reset clears the output register and both banks.
  in.rst = true;
  ls.step(in);
  CHECK(o.out_data == std::vector<int8_t>(8, 0));
  in.clear();
  in.rd_valid = true;
  in.rd_addr = {0, 1, 2, 3};
  in.rd_mask = {1, 1, 1, 1};
  ls.step(in);
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == std::vector<int8_t>(8, 0));
}

TEST_CASE("im2col lockstep catches the bank-select fault on the last lane") {
  const Im2colShape s{4, 2, 10, 3};
  cosim::Lockstep<systolic::Im2colUnitBlock> ls(s, Im2colFault::Bank);
  Im2colInputs in(s);
  Rng rng(7, "test:im2col-fault");
  const auto div = test::first_divergence(ls, in, 5000, [&](auto& x) { random_inputs(s, rng, x); });
  REQUIRE(div);  // the faulty RTL must be caught by the lockstep harness
  const auto& d = *div;
  CHECK(d.port == "out_data");
  CHECK(d.lane / s.b == s.lanes - 1);
  CHECK(d.where.rfind("lane 3 ", 0) == 0);
  CHECK(d.expected != d.actual);
  CHECK(d.cycle < 200);
}
