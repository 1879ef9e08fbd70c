#pragma once
// What the driver needs from an accelerator family, and the registry that maps the arch config's
// `family` to an implementation (models register themselves; sim/ never includes models/).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/synth_area.h"
#include "sim/driver/array_job.h"

namespace npusim {

enum class Backend { Model, Rtl, Lockstep };
const char* to_string(Backend b);

struct BackendOptions {
  Backend backend = Backend::Model;
  std::string vcd_path;  // lockstep/rtl: port-level trace
};

class Accelerator {
 public:
  virtual ~Accelerator() = default;
  // Cycle simulation of one GEMM-shaped layer job on the selected backend.
  virtual ArrayJobResult run(const ArrayJob& job) = 0;
  // Simulated edges compared in lockstep so far (0 for other backends).
  virtual uint64_t lockstep_cycles() const { return 0; }
  // The blocks compared in lockstep, e.g. "sa_array and im2col_unit" ("" for other backends).
  virtual std::string lockstep_blocks() const { return ""; }
};

using AcceleratorFactory =
    std::function<std::unique_ptr<Accelerator>(const ArchConfig&, const BackendOptions&)>;
// --fast: cycles and traffic of a job from closed-form formulas (no cycle simulation, no values).
using FastEstimator = std::function<LayerStats(const ArchConfig&, const ArrayJob&)>;

// Physical multipliers of a configuration (the denominator of utilization).
using PeakMacs = std::function<int64_t(const ArchConfig&)>;

// Logic components of a configuration, for the area and leakage model (sim/cost).
using AreaInventory = std::function<std::vector<cost::InventoryItem>(const ArchConfig&)>;

// The RTL of the configuration's array core, for `npusim area --synth`.
using SynthSpecFn = std::function<cost::SynthSpec(const ArchConfig&)>;

void register_family(const std::string& family, AcceleratorFactory factory, FastEstimator estimator,
                     PeakMacs peak, AreaInventory inventory, SynthSpecFn synth_spec);
cost::SynthSpec synth_spec(const ArchConfig& arch);
std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch);
int64_t physical_macs_per_cycle(const ArchConfig& arch);
std::unique_ptr<Accelerator> create_accelerator(const ArchConfig& arch, const BackendOptions& opts);
LayerStats fast_estimate(const ArchConfig& arch, const ArrayJob& job);
std::vector<std::string> registered_families();

}  // namespace npusim
