#pragma once
// The in-process run of a sweep's fast points (sim/sweep/sweep_runner.h): the driver's run_network and
// the report's JSON, exactly what `npusim run --fast --json` writes, with each workload loaded once.
#include "sim/sweep/sweep_runner.h"

namespace npusim::app {

InProcessRun make_in_process_run();

}  // namespace npusim::app
