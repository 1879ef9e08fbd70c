#pragma once
// Closed-form cycles and traffic of an SA job (--fast). Per fold the start step follows from the
// array's structural rules (docs/sa_array.md) and the plan; it equals the cycle model whenever no
// fold waits for DRAM or output-buffer space (tested). With bandwidth stalls the estimate adds the
// DRAM time that cannot hide behind compute.
#include "models/systolic/systolic_config.h"
#include "models/systolic/array_job.h"

namespace npusim::systolic {

LayerStats sa_estimate(const ArchConfig& arch, const ArrayJob& job);

}  // namespace npusim::systolic
