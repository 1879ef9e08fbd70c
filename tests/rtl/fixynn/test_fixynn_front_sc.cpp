// The FixyNN front end's SystemC shell (FixynnFront) elaborated next to another family's module (the
// systolic SaAccelerator, FixyNN's back end) in one process: frame jobs on the lockstep and model
// backends, SystemC time advancing by each job's cycles on its own clock, the block reused for the same
// net, lockstep cycles summed over blocks. One elaboration per process: one TEST_CASE per ctest process.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

#include "models/fixynn/fixynn_front.h"
#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_array_core.h"
#include "sim/common/error.h"
#include "tests/rtl/fixynn/test_net.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;
using namespace npusim::fixynn;
using sc_core::SC_NS;
using sc_core::sc_time;

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  return Catch::Session().run(argc, argv);
}

namespace {

TensorI8 frame(const FixedNet& net, uint64_t seed) {
  const FixedStage& st = net.stages.front();
  TensorI8 in({st.H, st.W, st.in_channels()});
  Rng rng(seed, "fixynn_sc_frame");
  for (int8_t& v : in.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  return in;
}

void check_golden(const FixedNet& net, const TensorI8& in, const FrameResult& r) {
  const std::vector<TensorI8> golden = fixynn::test::golden_stages(net, in);
  REQUIRE(r.outputs.size() == golden.size());
  for (size_t s = 0; s < golden.size(); ++s) CHECK(r.outputs[s].data == golden[s].data);
  CHECK(r.second_frame_equal);
}

}  // namespace

TEST_CASE("front shell: lockstep jobs next to the systolic back end with time on both clocks", "[fixynn]") {
  BackendOptions opts;
  opts.backend = Backend::Lockstep;
  FixynnFront front("fixynn_front", 500, opts);  // 2 ns
  ArchConfig arch = npusim::test::sa_arch(4, 4, false, 8);
  arch.clock_mhz = 250;  // 4 ns
  systolic::SaAccelerator sa("sa", arch, std::make_unique<systolic::SaArrayCore>(systolic::SaShape{4, 4, 0}));
  CHECK(front.lockstep_blocks().empty());

  const FixedNet a = fixynn::test::make_test_net(1), b = fixynn::test::make_edge_net(1);
  const TensorI8 in_a = frame(a, 1), in_b = frame(b, 2);
  double ns = 0;
  const FrameResult r1 = front.run(a, in_a);
  check_golden(a, in_a, r1);
  ns += 2.0 * static_cast<double>(r1.total_cycles + 1);
  CHECK(sc_core::sc_time_stamp() == sc_time(ns, SC_NS));
  CHECK(front.lockstep_cycles() == static_cast<uint64_t>(r1.total_cycles + 1));
  CHECK(front.lockstep_blocks() == "fixynn_top");

  const PreparedJob job = prepare_gemm(12, 10, 7, 3);
  const ArrayJobResult s = sa.run(job.job);
  CHECK(npusim::test::compare_golden(s, job).empty());
  ns += 4.0 * static_cast<double>(s.stats.cycles);
  CHECK(sc_core::sc_time_stamp() == sc_time(ns, SC_NS));

  const FrameResult r2 = front.run(a, in_a);  // the same net: the same block, its count goes on
  check_golden(a, in_a, r2);
  const FrameResult r3 = front.run(b, in_b);  // another net: a new block, counts summed
  check_golden(b, in_b, r3);
  ns += 2.0 * static_cast<double>(r2.total_cycles + 1 + r3.total_cycles + 1);
  CHECK(sc_core::sc_time_stamp() == sc_time(ns, SC_NS));
  CHECK(front.lockstep_cycles() ==
        static_cast<uint64_t>(r1.total_cycles + r2.total_cycles + r3.total_cycles + 3));
}

TEST_CASE("front shell: the model backend compares nothing", "[fixynn]") {
  FixynnFront front("fixynn_front", 810, BackendOptions{});
  const FixedNet a = fixynn::test::make_test_net(3);
  const TensorI8 in = frame(a, 3);
  check_golden(a, in, front.run(a, in));
  CHECK(front.lockstep_cycles() == 0);
  CHECK(front.lockstep_blocks().empty());
}

TEST_CASE("front shell: an error in the job's thread reaches the caller", "[fixynn]") {
  BackendOptions opts;
  opts.backend = Backend::Lockstep;
  FixynnFront front("fixynn_front", 810, opts);
  const FixedNet a = fixynn::test::make_test_net(1);
  REQUIRE_THROWS_AS(front.run(a, TensorI8({1, 1, 1})), InputError);  // wrong frame shape
  const FrameResult r = front.run(a, frame(a, 1));                   // the module keeps taking jobs
  check_golden(a, frame(a, 1), r);
}
