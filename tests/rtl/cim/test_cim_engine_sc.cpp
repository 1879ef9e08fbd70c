// The cim engine's SystemC shell (models/cim/cim_engine_module.h): layer jobs in lockstep on one module,
// SystemC time = (reset edge + cycles) x the clock period, lockstep edges summed over the blocks it built,
// outputs equal to the reference. One elaboration per process: one TEST_CASE.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <memory>
#include <systemc>

#include "models/cim/cim_engine_module.h"
#include "tests/rtl/cim/test_kernel.h"

using namespace npusim;
using namespace npusim::cim;

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  return Catch::Session().run(argc, argv);
}

TEST_CASE("SystemC shell: lockstep layer jobs, time in engine cycles", "[cim]") {
  auto kernel = std::make_shared<test::TestKernel>(9, 5, 11);
  CimEngineShape shape;
  shape.n_in = 9, shape.k_max = 5, shape.s_max = 2, shape.lanes_in = 4, shape.lanes_out = 2;
  shape.kernel = kernel;
  BackendOptions opts;
  opts.backend = Backend::Lockstep;
  CimEngineModule engine("engine", 250.0, opts);  // 4 ns a cycle
  CHECK(engine.lockstep_blocks().empty());
  int64_t cycles = 0;
  for (uint64_t seed : {1, 2}) {
    const LayerJob job = test::random_job(shape, seed, seed == 2);
    kernel->set_layer(job.cfg.n_in, job.cfg.splits, 2);
    const LayerResult r = engine.run(shape, job);
    const test::Reference ref = test::reference_layer(*kernel, job);
    CHECK(r.outputs == ref.outputs);
    cycles += r.cycles + 1;
    CHECK(sc_core::sc_time_stamp() == sc_core::sc_time(4.0 * static_cast<double>(cycles), sc_core::SC_NS));
  }
  CHECK(engine.lockstep_blocks() == "cim_engine");
  CHECK(engine.lockstep_cycles() == static_cast<uint64_t>(cycles));
}
