// The SA accelerator as a SystemC module: elaborated once, several layer jobs issued to it, SystemC
// time advancing by exactly the reported cycles, results bit-exact.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_array_core.h"
#include "sim/driver/driver.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  return Catch::Session().run(argc, argv);
}

TEST_CASE("one elaboration and several jobs and SystemC time equals cycles") {
  ArchConfig arch = test::sa_arch(8, 8, false, 8);
  arch.clock_mhz = 500;  // 2 ns period
  systolic::SaAccelerator acc("sa", arch, std::make_unique<systolic::SaArrayCore>(systolic::SaShape{8, 8, 0}));
  int64_t cycles = 0;
  for (int i = 0; i < 3; ++i) {
    const PreparedJob p = prepare_gemm(20 + 7 * i, 30 + i, 9 + 5 * i, 50 + i);
    const ArrayJobResult r = acc.run(p.job);
    CHECK(test::compare_golden(r, p).empty());
    cycles += r.stats.cycles;
    CHECK(sc_core::sc_time_stamp() == sc_core::sc_time(2.0 * cycles, sc_core::SC_NS));
  }
  // A job longer than the synchronisation quantum.
  const PreparedJob big = prepare_gemm(300, 200, 40, 9);
  const ArrayJobResult r = acc.run(big.job);
  CHECK(r.stats.cycles > 8192);
  CHECK(test::compare_golden(r, big).empty());
  CHECK(sc_core::sc_time_stamp() == sc_core::sc_time(2.0 * (cycles + r.stats.cycles), sc_core::SC_NS));
}

TEST_CASE("the registry builds the SA for family systolic and the driver verifies a small network") {
  ArchConfig arch = test::sa_arch(4, 4, true, 16);
  Network net;
  net.name = "two_layers";
  Layer conv;
  conv.name = "c1";
  conv.op = OpType::Conv;
  conv.H = conv.W = 6, conv.C = 3, conv.K = 5, conv.R = conv.S = 3, conv.pad_top = conv.pad_bottom = 1;
  conv.pad_left = conv.pad_right = 1, conv.out_h = conv.out_w = 6;
  Layer fc;
  fc.name = "f1";
  fc.op = OpType::Fc;
  fc.C = 6 * 6 * 5, fc.K = 7;  // reads the conv's output, flattened
  conv.inputs = {kNetworkInput};
  fc.inputs = {"c1"};
  net.layers = {conv, fc};
  net.chained = true;
  RunOptions opts;
  opts.seed = 3;
  const RunReport rep = run_network(arch, net, opts);
  REQUIRE(rep.layers.size() == 2);
  CHECK(rep.total.verified == 2);
  CHECK(rep.total.failed == 0);
  CHECK(rep.layers[0].cycles > 0);
  CHECK(rep.execution == "chained");
}
