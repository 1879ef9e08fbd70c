#pragma once
// One instance of a Verilated block loaded as a plugin: finds or builds the plugin, checks its ABI
// version, creates the model with the block's port list and power-up seed, and clocks it one edge per
// step on flat lane buffers (sim/cosim/plugin_abi.h).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cosim/port_list.h"
#include "sim/cosim/rtl_plugin.h"

namespace npusim::cosim {

// Seed of the RTL's power-up values: $NPUSIM_RTL_SEED if set (0 = all zeros), else 1. Deterministic,
// so a divergence it causes reproduces; every RTL instance records the seed it used.
uint32_t rtl_reset_seed();

class RtlInstance {
 public:
  // `dpi_context`: what the plugin's DPI-C code sees (sim/cosim/dpi_context.h); must outlive the instance.
  RtlInstance(const RtlBuildSpec& spec, const std::vector<Port>& inputs, const std::vector<Port>& outputs,
              const std::string& vcd_path, const std::string& cache_dir, uint32_t reset_seed,
              void* dpi_context = nullptr);
  ~RtlInstance();
  RtlInstance(const RtlInstance&) = delete;
  RtlInstance& operator=(const RtlInstance&) = delete;

  // One edge: `in` holds every input lane, `out` receives every output lane (port-list order).
  void step(const uint32_t* in, uint32_t* out) { step_(handle_, in, out); }
  const std::string& path() const { return plugin_->path(); }
  uint32_t reset_seed() const { return reset_seed_; }

 private:
  std::shared_ptr<RtlPlugin> plugin_;
  uint32_t reset_seed_;
  void* handle_ = nullptr;
  void (*step_)(void*, const uint32_t*, uint32_t*) = nullptr;
  void (*destroy_)(void*) = nullptr;
};

}  // namespace npusim::cosim
