// Lockstep of the DAP unit's C++ core against its Verilated RTL (docs/dap_unit.md): random stimulus
// biased towards magnitude ties and the extremes (-128, 127, 0), random nnz 0..BZ+2 (now and then with
// bits above the 5-bit port), rare resets, every output port compared on every edge; a directed check of
// the contract itself; the core against the golden dap_prune; and the harness's ability to fail on the
// tie-rule fault variant.
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <vector>

#include "models/systolic/dap_unit_block.h"
#include "sim/cosim/lockstep.h"
#include "tests/support/reset_edge.h"
#include "sim/common/rng.h"
#include "models/systolic/dap.h"

using namespace npusim;
using systolic::DapFault;
using systolic::DapInputs;
using systolic::DapOutputs;
using systolic::DapShape;

namespace {

// One cycle of random stimulus. Most blocks draw from a small palette, so equal magnitudes (also +-x
// pairs), -128 against 127 and zeros are frequent.
void random_inputs(const DapShape& s, Rng& rng, DapInputs& in, double p_rst = 0.003) {
  static const int8_t palette[] = {0, 0, 1, -1, 2, -2, 3, 64, -64, 126, 127, -127, -128, -128};
  const int64_t np = static_cast<int64_t>(sizeof(palette)) - 1;
  in.rst = rng.bernoulli(p_rst);
  in.in_valid = rng.bernoulli(0.7);
  in.nnz = static_cast<uint32_t>(rng.uniform(0, s.bz + 2));
  if (rng.bernoulli(0.03)) in.nnz |= static_cast<uint32_t>(rng.uniform(1, 7)) << 5;  // not on the port
  const bool tie_heavy = rng.bernoulli(0.75);
  for (auto& d : in.in_data)
    d = tie_heavy ? palette[rng.uniform(0, np)] : static_cast<int8_t>(rng.uniform(-128, 127));
}

std::string name(const DapShape& s) {
  return std::to_string(s.lanes) + "x" + std::to_string(s.bz);
}

void random_lockstep(const DapShape& s, int cycles) {
  cosim::Lockstep<systolic::DapUnitBlock> ls(s);
  DapInputs in(s);
  Rng rng(Rng::hash(name(s)), "test:dap-lockstep");
  uint64_t valid = 0, nonzero = 0, partial = 0;
  test::reset_edge(ls, in);
  for (int c = 0; c < cycles; ++c) {
    random_inputs(s, rng, in);
    ls.step(in);  // throws DivergenceError on the first mismatch
    const DapOutputs& o = ls.outputs();
    valid += o.out_valid;
    for (int8_t v : o.out_data) nonzero += v != 0;
    // Blocks whose last slot is empty: pruning actually dropped something.
    for (int l = 0; l < s.lanes; ++l) partial += o.out_data[l * s.bz + s.bz - 1] == 0;
  }
  CHECK(valid > static_cast<uint64_t>(cycles) / 2);
  CHECK(nonzero > 0);
  CHECK(partial > 0);
  CHECK(ls.cycles_compared() == static_cast<uint64_t>(cycles) + 1);
}

// Compacted slots of one block as the contract defines them, from the golden pruning: the kept set is
// the non-zeros of dap_prune plus, while fewer than min(nnz, BZ) are kept, the lowest-index zeros of
// the block (zeros tie and are beaten by every non-zero).
void golden_slots(const int8_t* block, int bz, int nnz, int8_t* data, uint8_t* idx) {
  TensorI8 t({bz});
  t.data.assign(block, block + bz);
  const TensorI8 p = mapping::dap_prune(t, bz, nnz);
  std::vector<bool> keep(bz);
  int kept = 0;
  for (int c = 0; c < bz; ++c) {
    keep[c] = p[c] != 0;
    kept += keep[c];
  }
  const int want = std::min(nnz, bz);
  REQUIRE(kept <= want);
  for (int c = 0; c < bz && kept < want; ++c) {
    if (block[c] == 0 && !keep[c]) {
      keep[c] = true;
      ++kept;
    }
  }
  REQUIRE(kept == want);
  int slot = 0;
  for (int c = 0; c < bz; ++c) {
    if (!keep[c]) continue;
    data[slot] = block[c];
    idx[slot] = static_cast<uint8_t>(c);
    ++slot;
  }
  std::fill(data + slot, data + bz, 0);
  std::fill(idx + slot, idx + bz, 0);
}

void set_lane(DapInputs& in, int bz, int lane, const std::vector<int8_t>& v) {
  std::copy(v.begin(), v.end(), in.in_data.begin() + static_cast<long>(lane) * bz);
}

}  // namespace

TEST_CASE("dap lockstep random 1x1 (LANES x BZ)") {
  random_lockstep({1, 1}, 5000);
}
TEST_CASE("dap lockstep random 4x8") {
  random_lockstep({4, 8}, 5000);
}
TEST_CASE("dap lockstep random 2x5 (BZ not a power of two)") {
  random_lockstep({2, 5}, 5000);
}
TEST_CASE("dap lockstep random 1x16") {
  random_lockstep({1, 16}, 5000);
}
TEST_CASE("dap lockstep random 3x3") {
  random_lockstep({3, 3}, 5000);
}

TEST_CASE("dap contract: two-edge latency and compaction order and tie rule and reset") {
  const DapShape s{2, 5};
  cosim::Lockstep<systolic::DapUnitBlock> ls(s);
  DapInputs in(s);
  test::reset_edge(ls, in);
  const DapOutputs& o = ls.outputs();
  using V8 = std::vector<int8_t>;
  using VI = std::vector<uint8_t>;
  // Edge 0: a valid block pair, keep 2. Nothing has come through yet.
  in.in_valid = true;
  in.nnz = 2;
  set_lane(in, 5, 0, {3, -3, 3, 1, 0});         // three-way tie: channels 0 and 1 win
  set_lane(in, 5, 1, {127, -128, -127, 0, 5});  // -128 first, then 127 beats -127 (lower index)
  ls.step(in);
  CHECK(o.out_valid == 0);
  CHECK(o.out_data == V8(10, 0));
  // Edge 1: an invalid cycle that keeps everything (nnz above BZ); edge 0's blocks come out.
  in.in_valid = false;
  in.nnz = 31;
  set_lane(in, 5, 0, {0, 0, 0, 0, -7});
  set_lane(in, 5, 1, {1, 2, 3, 4, 5});
  ls.step(in);
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == V8{3, -3, 0, 0, 0, 127, -128, 0, 0, 0});
  CHECK(o.out_idx == VI{0, 1, 0, 0, 0, 0, 1, 0, 0, 0});
  // Edge 2: keep none. Edge 1's blocks come out with out_valid low: the pipeline loads regardless.
  in.in_valid = true;
  in.nnz = 0;
  set_lane(in, 5, 0, {9, 9, 9, 9, 9});
  set_lane(in, 5, 1, {-1, 1, -1, 1, 0});
  ls.step(in);
  CHECK(o.out_valid == 0);
  CHECK(o.out_data == V8{0, 0, 0, 0, -7, 1, 2, 3, 4, 5});
  CHECK(o.out_idx == VI{0, 1, 2, 3, 4, 0, 1, 2, 3, 4});
  // Edge 3: keep 3 with kept zeros (value 0, real index) and a keep-1 tie on the other lane; nnz bits
  // above the port are ignored (32 + 3 is 3 on the port).
  in.nnz = 32 + 3;
  set_lane(in, 5, 0, {0, 0, 4, 0, 0});
  set_lane(in, 5, 1, {0, 1, -1, 1, -1});
  ls.step(in);
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == V8(10, 0));  // nnz 0 keeps nothing
  CHECK(o.out_idx == VI(10, 0));
  in.nnz = 1;
  set_lane(in, 5, 1, {0, 1, -1, 1, -1});
  ls.step(in);
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == V8{0, 0, 4, 0, 0, 1, -1, 1, 0, 0});
  CHECK(o.out_idx == VI{0, 1, 2, 0, 0, 1, 2, 3, 0, 0});
  ls.step(in);  // edge 4's nnz 1: lane 0 keeps channel 2, lane 1 keeps channel 1 (lowest of the tie)
  CHECK(o.out_data == V8{4, 0, 0, 0, 0, 1, 0, 0, 0, 0});
  CHECK(o.out_idx == VI{2, 0, 0, 0, 0, 1, 0, 0, 0, 0});
  // A single valid cycle shows up on out_valid exactly two edges later.
  in.clear();
  std::vector<uint8_t> valids;
  for (int e = 0; e < 6; ++e) {
    in.in_valid = e == 1;
    ls.step(in);
    valids.push_back(o.out_valid);
  }
  // The first 1 is the last block above still in flight; the second is the pulse.
  CHECK(valids == std::vector<uint8_t>{1, 0, 1, 0, 0, 0});
  // Reset clears both stages: a block in flight at the reset edge never comes out.
  in.in_valid = true;
  in.nnz = 5;
  set_lane(in, 5, 0, {1, 2, 3, 4, 5});
  set_lane(in, 5, 1, {-1, -2, -3, -4, -5});
  ls.step(in);
  in.rst = true;
  ls.step(in);
  CHECK(o.out_valid == 0);
  CHECK(o.out_data == V8(10, 0));
  CHECK(o.out_idx == VI(10, 0));
  in.rst = false;
  ls.step(in);
  CHECK(o.out_valid == 0);
  CHECK(o.out_data == V8(10, 0));
  ls.step(in);
  CHECK(o.out_valid == 1);
  CHECK(o.out_data == V8{1, 2, 3, 4, 5, -1, -2, -3, -4, -5});
  CHECK(o.out_idx == VI{0, 1, 2, 3, 4, 0, 1, 2, 3, 4});
}

TEST_CASE("dap core matches the golden dap_prune block by block") {
  for (const DapShape s : {DapShape{1, 1}, DapShape{4, 8}, DapShape{2, 5}, DapShape{1, 16}, DapShape{3, 3}}) {
    systolic::DapUnitCore core(s);
    DapInputs in(s);
    Rng rng(Rng::hash(name(s)), "test:dap-golden");
    std::deque<DapInputs> sent;
    std::vector<int8_t> data(s.bz);
    std::vector<uint8_t> idx(s.bz);
    for (int c = 0; c < 4000; ++c) {
      random_inputs(s, rng, in, 0.0);
      in.nnz &= 31u;  // the golden takes the port value
      core.step(in);
      sent.push_back(in);
      if (sent.size() < 2) continue;
      const DapInputs& src = sent.front();  // sampled one edge before the last
      const DapOutputs& o = core.outputs();
      INFO("shape " << name(s) << " edge " << c << " nnz " << src.nnz);
      REQUIRE(o.out_valid == src.in_valid);
      for (int l = 0; l < s.lanes; ++l) {
        golden_slots(&src.in_data[static_cast<size_t>(l) * s.bz], s.bz, static_cast<int>(src.nnz),
                     data.data(), idx.data());
        REQUIRE(std::equal(data.begin(), data.end(), o.out_data.begin() + l * s.bz));
        REQUIRE(std::equal(idx.begin(), idx.end(), o.out_idx.begin() + l * s.bz));
      }
      sent.pop_front();
    }
  }
}

TEST_CASE("dap lockstep catches the tie-rule fault") {
  const DapShape s{4, 8};
  cosim::Lockstep<systolic::DapUnitBlock> ls(s, DapFault::Tie);
  DapInputs in(s);
  Rng rng(7, "test:dap-fault");
  const auto div = test::first_divergence(ls, in, 5000, [&](auto& x) { random_inputs(s, rng, x); });
  REQUIRE(div);  // the faulty RTL must be caught by the lockstep harness
  const auto& d = *div;
  CHECK((d.port == "out_data" || d.port == "out_idx"));
  CHECK(d.where.rfind("lane ", 0) == 0);
  CHECK(d.where.find(" slot ") != std::string::npos);
  CHECK(d.expected != d.actual);
  CHECK(d.cycle < 50);
}
