// Lockstep of the SA C++ core against its Verilated RTL over random GEMMs (shapes not multiples of the
// array, K = 1, 1x1 and rectangular arrays), a real ResNet-18 layer, and the harness's own ability to
// fail: faulty RTL variants must be caught with cycle, port and PE in the report.
#include <catch2/catch.hpp>

#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_array_block.h"
#include "sim/cosim/lockstep.h"
#include "sim/common/rng.h"
#include "sim/workload/workload_loader.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;

namespace {

// ~40 random GEMMs on one prebuilt array shape; one RTL instance for all of them (reset per job).
void random_gemms(int rows, int cols, bool ws, int count) {
  cosim::Lockstep<systolic::SaArrayBlock> ls({rows, cols, ws ? 1 : 0});
  const ArchConfig arch = test::sa_arch(rows, cols, ws, 16);
  Rng rng(uint64_t(rows * 100 + cols * 10 + ws), "test:lockstep-shapes");
  for (int i = 0; i < count; ++i) {
    int64_t M = rng.uniform(1, 3 * rows + 5), K = rng.uniform(1, 40), N = rng.uniform(1, 3 * cols + 5);
    if (i % 8 == 0) K = 1;
    if (i % 8 == 1) M = rows + 1, N = cols + 1;  // one row/column past the array
    const PreparedJob p = prepare_gemm(M, K, N, 7000 + i);
    INFO(arch.name << " GEMM " << M << "x" << K << "x" << N);
    const ArrayJobResult r = test::run_engine(arch, ls, p.job);  // throws DivergenceError on mismatch
    CHECK(test::compare_golden(r, p).empty());
  }
  CHECK(ls.cycles_compared() > 0);
}

}  // namespace

// 5 shapes x 40 GEMMs = 200 random GEMMs per dataflow.
TEST_CASE("lockstep random GEMMs 1x1 os") { random_gemms(1, 1, false, 40); }
TEST_CASE("lockstep random GEMMs 1x4 os") { random_gemms(1, 4, false, 40); }
TEST_CASE("lockstep random GEMMs 5x3 os") { random_gemms(5, 3, false, 40); }
TEST_CASE("lockstep random GEMMs 4x4 os") { random_gemms(4, 4, false, 40); }
TEST_CASE("lockstep random GEMMs 16x16 os") { random_gemms(16, 16, false, 40); }
TEST_CASE("lockstep random GEMMs 1x1 ws") { random_gemms(1, 1, true, 40); }
TEST_CASE("lockstep random GEMMs 1x4 ws") { random_gemms(1, 4, true, 40); }
TEST_CASE("lockstep random GEMMs 5x3 ws") { random_gemms(5, 3, true, 40); }
TEST_CASE("lockstep random GEMMs 4x4 ws") { random_gemms(4, 4, true, 40); }
TEST_CASE("lockstep random GEMMs 16x16 ws") { random_gemms(16, 16, true, 40); }

TEST_CASE("lockstep on a real ResNet-18 layer at reduced spatial size") {
  Network net = load_workload(std::string(NPUSIM_SOURCE_DIR) + "/workloads/resnet18.csv");
  Layer l;
  for (const auto& x : net.layers)
    if (x.name == "layer2.0.conv1") l = x;  // 3x3/2, 64 -> 128 channels
  REQUIRE(l.name == "layer2.0.conv1");
  l.H = l.W = 14;  // reduced from 56x56 to keep the lockstep run short
  l.out_h = l.out_w = 7;
  for (bool ws : {false, true}) {
    cosim::Lockstep<systolic::SaArrayBlock> ls({16, 16, ws ? 1 : 0});
    const PreparedJob p = prepare_array_layer(l, 42);
    const ArrayJobResult r = test::run_engine(test::sa_arch(16, 16, ws, 32), ls, p.job);
    CHECK(test::compare_golden(r, p).empty());
    CHECK(ls.cycles_compared() > 1000);
  }
}

namespace {

cosim::Divergence expect_divergence(bool ws, systolic::SaFault fault, int64_t M = 9) {
  cosim::Lockstep<systolic::SaArrayBlock> ls({4, 4, ws ? 1 : 0}, fault);
  const PreparedJob p = prepare_gemm(M, 7, 6, 3);
  try {
    test::run_engine(test::sa_arch(4, 4, ws, 16), ls, p.job);
  } catch (const cosim::DivergenceError& e) {
    return e.divergence;
  }
  FAIL("faulty RTL was not caught by the lockstep harness");
  return {};
}

}  // namespace

TEST_CASE("lockstep catches an accumulator-clear fault (OS) at the faulty PE") {
  const auto d = expect_divergence(false, systolic::SaFault::AccClear);
  CHECK(d.port == "out_data");
  CHECK(d.lane == 3);
  CHECK(d.where == "PE(3,3)");
  CHECK(d.expected != d.actual);
}

TEST_CASE("lockstep catches a missed weight swap (WS)") {
  const auto d = expect_divergence(true, systolic::SaFault::AccClear);
  CHECK(d.port == "out_data");
  CHECK(d.lane == 3);
}

TEST_CASE("lockstep catches a one-cycle skew on one column (OS)") {
  const auto d = expect_divergence(false, systolic::SaFault::ColSkew);
  CHECK(d.lane == 3);
  CHECK(d.message().find("cycle") != std::string::npos);
}

TEST_CASE("lockstep catches a one-cycle skew on one column (WS)") {
  // A late weight write only matters when it lands on the swap edge: with one-row streams (M = 1)
  // the sequencer writes the next fold's weights right up against its swap.
  const auto d = expect_divergence(true, systolic::SaFault::ColSkew, 1);
  CHECK(d.lane == 3);
}

namespace {

// Random GEMMs (and every layer NNZ on sparse PEs) in lockstep on one tensor-PE design point.
void tensor_gemms(const ArchConfig& arch, int count) {
  cosim::Lockstep<systolic::SaArrayBlock> ls(systolic::sa_shape(arch));
  Rng rng(Rng::hash(arch.name), "test:lockstep-tensor");
  const bool sparse = sys(arch).weights.mode != "dense";
  for (int i = 0; i < count; ++i) {
    const int64_t M = rng.uniform(1, 3 * sys(arch).rows * sys(arch).tpe_a + 2), K = rng.uniform(1, 60);
    const int64_t N = rng.uniform(1, 3 * sys(arch).cols * sys(arch).tpe_c + 2);
    const int nnz = sparse ? 1 + i % sys(arch).tpe_b : sys(arch).tpe_b;
    const PreparedJob p = prepare_gemm(M, K, N, 9000 + i, WeightScheme{sys(arch).tpe_b, sparse, nnz});
    INFO(arch.name << " nnz " << nnz << " GEMM " << M << "x" << K << "x" << N);
    const ArrayJobResult r = test::run_engine(arch, ls, p.job);
    CHECK(test::compare_golden(r, p).empty());
  }
  CHECK(ls.cycles_compared() > 0);
}

}  // namespace

TEST_CASE("lockstep STA 2x2x2 on 2x2") { tensor_gemms(test::sta_arch(2, 2, 2, 2, 2, "dense", 2, 16), 30); }
TEST_CASE("lockstep STA 4x8x4 on 2x3") { tensor_gemms(test::sta_arch(2, 3, 4, 8, 4, "dense", 8, 16), 30); }
TEST_CASE("lockstep STA 3x5x2 on 3x2 (non-power-of-two)") {
  tensor_gemms(test::sta_arch(3, 2, 3, 5, 2, "dense", 5, 16), 30);
}
TEST_CASE("lockstep STA-DBB 2x8x2 with 4 multipliers at every NNZ") {
  tensor_gemms(test::sta_arch(2, 2, 2, 8, 2, "dbb", 4, 16), 32);
}
TEST_CASE("lockstep VDBB 4x8x4 on 3x2 at every NNZ") { tensor_gemms(test::sta_arch(3, 2, 4, 8, 4, "vdbb", 1, 16), 32); }
TEST_CASE("lockstep sparse 3x5x2 with 2 multipliers at every NNZ") {
  tensor_gemms(test::sta_arch(2, 2, 3, 5, 2, "dbb", 2, 16), 20);
}

TEST_CASE("lockstep catches a DBB mux-index fault") {
  const ArchConfig arch = test::sta_arch(2, 2, 2, 8, 2, "dbb", 4, 16);
  cosim::Lockstep<systolic::SaArrayBlock> ls(systolic::sa_shape(arch), systolic::SaFault::MuxIdx);
  const PreparedJob p = prepare_gemm(9, 40, 7, 3, WeightScheme{8, true, 4});
  try {
    test::run_engine(arch, ls, p.job);
    FAIL("the mux-index fault was not caught");
  } catch (const cosim::DivergenceError& e) {
    CHECK(e.divergence.port == "out_data");
    CHECK(e.divergence.where.find("TPE(") == 0);
  }
}

TEST_CASE("lockstep catches an accumulator-clear fault in a tensor PE") {
  const ArchConfig arch = test::sta_arch(2, 2, 2, 8, 2, "dbb", 4, 16);
  cosim::Lockstep<systolic::SaArrayBlock> ls(systolic::sa_shape(arch), systolic::SaFault::AccClear);
  const PreparedJob p = prepare_gemm(9, 40, 7, 3, WeightScheme{8, true, 4});
  CHECK_THROWS_AS(test::run_engine(arch, ls, p.job), cosim::DivergenceError);
}
