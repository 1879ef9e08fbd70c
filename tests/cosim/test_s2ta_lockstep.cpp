// S2TA in lockstep: random convolutions and FC layers stream through the DAP unit (run-time top-NNZ
// activation pruning) into the time-unrolled TPE array, with both blocks' C++ cores compared against
// their Verilated RTL on every output port on every edge, over several (weight NNZ, activation NNZ)
// pairs and bit-exact against golden on the DAP-pruned activations; and a DAP unit with the wrong
// tie rule is caught in context.
#include <catch2/catch.hpp>

#include "models/systolic/dap_unit_block.h"
#include "models/systolic/sa_array_block.h"
#include "sim/cosim/divergence.h"
#include "sim/cosim/lockstep.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;

namespace {

struct Run {
  ArrayJobResult result;
  uint64_t array_cycles = 0, dap_cycles = 0;
};

Run run_lockstep(const ArchConfig& arch, const ArrayJob& job,
                 systolic::DapFault fault = systolic::DapFault::None) {
  cosim::Lockstep<systolic::SaArrayBlock> array(systolic::sa_shape(arch));
  cosim::Lockstep<systolic::DapUnitBlock> dap(systolic::dap_unit_shape(arch), fault);
  systolic::SaEngine engine(arch, array, nullptr, &dap);
  engine.begin(job);
  while (!engine.done()) engine.tick();
  return {engine.take_result(), array.cycles_compared(), dap.cycles_compared()};
}

Layer random_layer(Rng& rng, int i) {
  if (i % 3 != 2) return test::random_conv(rng);
  Layer l;
  l.name = "fc";
  l.op = OpType::Fc;
  l.C = rng.uniform(1, 50);
  l.K = rng.uniform(1, 20);
  l.batch = rng.uniform(1, 12);
  return l;
}

void random_layers(const ArchConfig& arch, const std::vector<std::pair<int, int>>& nnz_pairs, uint64_t seed) {
  Rng rng(seed, "test:s2ta-lockstep");
  int i = 0;
  for (const auto& [w, a] : nnz_pairs) {
    Layer l = random_layer(rng, i);
    l.w_nnz = w;
    l.a_nnz = a;
    const PreparedJob p = prepare_array_layer(l, seed * 100 + i++, weight_scheme(arch, l));
    INFO(arch.name << " w_nnz " << w << " a_nnz " << a << " layer " << l.C << " channels groups "
                   << l.groups);
    const Run r = run_lockstep(arch, p.job);
    CHECK(test::compare_golden(r.result, p).empty());
    CHECK(r.array_cycles > 0);
    CHECK(r.dap_cycles == r.array_cycles);
  }
}

}  // namespace

TEST_CASE("s2ta lockstep AW 2x1x2 on 2x3 with 4 weight slots over NNZ pairs") {
  random_layers(test::s2ta_arch(2, 3, 2, 2, "dbb", 4, 4),
                {{4, 4}, {4, 1}, {2, 3}, {1, 8}, {3, 2}, {4, 6}, {2, 2}, {1, 1}}, 1);
}
TEST_CASE("s2ta lockstep A 3x1x2 on 3x2 with dense weights") {
  random_layers(test::s2ta_arch(3, 2, 3, 2, "dense", 8, 4), {{8, 4}, {8, 2}, {8, 7}, {8, 1}, {8, 8}, {4, 3}},
                2);
}

TEST_CASE("s2ta lockstep catches a DAP unit with the wrong tie rule") {
  const ArchConfig arch = test::s2ta_arch(2, 2, 2, 2, "dbb", 4, 2);
  Layer l;
  l.name = "fc_ties";
  l.op = OpType::Fc;
  l.C = 32;
  l.K = 5;
  l.batch = 4;
  l.a_bits = 2;  // INT2 activations: magnitudes tie all the time
  l.w_nnz = 4;
  l.a_nnz = 2;
  const PreparedJob p = prepare_array_layer(l, 5, weight_scheme(arch, l));
  CHECK(test::compare_golden(run_lockstep(arch, p.job).result, p).empty());
  try {
    run_lockstep(arch, p.job, systolic::DapFault::Tie);
    FAIL("the tie-rule fault was not caught");
  } catch (const cosim::DivergenceError& e) {
    // Reported on the DAP unit's compacted outputs (value or index of a slot), not later in the array.
    CHECK((e.divergence.port == "out_data" || e.divergence.port == "out_idx"));
    CHECK(e.divergence.where.find("slot") != std::string::npos);
  }
}
