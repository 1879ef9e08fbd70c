// sa_array in lockstep on random port values, not driven by the engine: valid, first and last flags,
// masks over non-zero data, indices, WS weight writes and resets in any combination. The engine's runs
// (test_sa_lockstep) only produce what the sequencer produces (masked lanes carry zeros, a masked row is
// never valid with data, ...), so RTL that differs from the model only outside that contract passes them;
// this set reaches it (scripts/mutate: sa_array survivors such as an activation-valid bit read in place of
// the row-valid bit in WS were found this way).
#include <catch2/catch.hpp>
#include <string>

#include "models/systolic/sa_array_block.h"
#include "sim/common/rng.h"
#include "sim/cosim/lockstep.h"

using namespace npusim;
using systolic::SaInputs;
using systolic::SaShape;

namespace {

void random_inputs(const SaShape& s, Rng& rng, SaInputs& in) {
  in.rst = rng.bernoulli(0.005);
  in.in_valid = rng.bernoulli(0.7);
  in.in_first = rng.bernoulli(0.25);
  in.in_last = rng.bernoulli(0.25);
  in.w_wr = s.dataflow == 1 && rng.bernoulli(0.3);
  in.w_row = static_cast<uint32_t>(rng.uniform(0, s.rows - 1));
  for (auto& v : in.a_in) v = static_cast<int8_t>(rng.uniform(-128, 127));
  for (auto& m : in.a_mask) m = rng.bernoulli(0.75);
  // Indices stay inside the block the RTL muxes over (B activations; the S2TA channel of a block).
  const int max_idx = s.asparse ? 7 : s.b - 1;
  for (auto& x : in.a_idx) x = s.asparse ? static_cast<uint8_t>(rng.uniform(0, max_idx)) : 0;
  for (auto& v : in.w_in) v = static_cast<int8_t>(rng.uniform(-128, 127));
  for (auto& x : in.w_idx) x = s.sparse ? static_cast<uint8_t>(rng.uniform(0, max_idx)) : 0;
  for (auto& m : in.w_mask) m = rng.bernoulli(0.75);
}

void random_ports(const SaShape& s, const std::string& name, int cycles) {
  cosim::Lockstep<systolic::SaArrayBlock> ls(s);
  SaInputs in(s);
  Rng rng(Rng::hash(name), "test:sa-ports-lockstep");
  in.clear_operands();
  in.rst = true;
  ls.step(in);  // outputs before the first reset are undefined (random power-up values)
  uint64_t valid = 0, nonzero = 0;
  for (int c = 0; c < cycles; ++c) {
    random_inputs(s, rng, in);
    ls.step(in);  // throws DivergenceError on the first mismatch
    for (uint8_t v : ls.outputs().out_valid) valid += v;
    for (int32_t v : ls.outputs().out_data) nonzero += v != 0;
  }
  CHECK(valid > 0);
  CHECK(nonzero > 0);  // the stimulus moves data through the array
  CHECK(ls.cycles_compared() == static_cast<uint64_t>(cycles) + 1);
}

}  // namespace

// Shapes of test_sa_lockstep and test_s2ta_lockstep (their plugins are prebuilt).
TEST_CASE("sa_array on random port values 4x4 os") {
  random_ports({4, 4, 0}, "4x4 os", 3000);
}
TEST_CASE("sa_array on random port values 4x4 ws") {
  random_ports({4, 4, 1}, "4x4 ws", 3000);
}
TEST_CASE("sa_array on random port values STA 4x8x4 on 2x3") {
  random_ports({2, 3, 0, 4, 8, 4, 8, false, false}, "sta 4x8x4", 2000);
}
TEST_CASE("sa_array on random port values STA-DBB 2x8x2 with 4 multipliers on 2x2") {
  random_ports({2, 2, 0, 2, 8, 2, 4, true, false}, "dbb 2x8x2", 2000);
}
TEST_CASE("sa_array on random port values S2TA 2x1x2 with 4 weight slots on 2x3") {
  random_ports({2, 3, 0, 2, 1, 2, 4, true, true}, "s2ta 2x1x2", 2000);
}
