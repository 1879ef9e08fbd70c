#include "sim/cosim/rtl_instance.h"

#include <cstdlib>
#include <stdexcept>

#include "sim/cosim/plugin_abi.h"

namespace npusim::cosim {

namespace {
std::vector<NpusimPort> c_ports(const std::vector<Port>& ports) {
  std::vector<NpusimPort> c;
  for (const Port& p : ports) c.push_back({p.name.c_str(), p.width, p.lanes});
  return c;
}
}  // namespace

uint32_t rtl_reset_seed() {
  if (const char* e = std::getenv("NPUSIM_RTL_SEED"); e && *e) return static_cast<uint32_t>(std::strtoul(e, nullptr, 0));
  return 1;
}

RtlInstance::RtlInstance(const RtlBuildSpec& spec, const std::vector<Port>& inputs, const std::vector<Port>& outputs,
                         const std::string& vcd_path, const std::string& cache_dir, uint32_t reset_seed,
                         void* dpi_context)
    : plugin_(load_rtl_plugin(spec, cache_dir)), reset_seed_(reset_seed) {
  auto abi = reinterpret_cast<int (*)()>(plugin_->symbol("npusim_block_abi"));
  if (abi() != NPUSIM_PLUGIN_ABI) throw std::runtime_error(plugin_->path() + ": plugin ABI mismatch");
  auto create = reinterpret_cast<void* (*)(NpusimPluginConfig*)>(plugin_->symbol("npusim_block_create"));
  step_ = reinterpret_cast<void (*)(void*, const uint32_t*, uint32_t*)>(plugin_->symbol("npusim_block_step"));
  destroy_ = reinterpret_cast<void (*)(void*)>(plugin_->symbol("npusim_block_destroy"));
  const std::vector<NpusimPort> in = c_ports(inputs), out = c_ports(outputs);
  NpusimPluginConfig cfg{vcd_path.c_str(), reset_seed, static_cast<int32_t>(in.size()), static_cast<int32_t>(out.size()),
                         in.data(), out.data(), dpi_context, {}};
  handle_ = create(&cfg);
  if (!handle_) throw std::runtime_error(plugin_->path() + ": " + cfg.error);
}

RtlInstance::~RtlInstance() {
  if (handle_) destroy_(handle_);
}

}  // namespace npusim::cosim
