#pragma once
// One instance of a Verilated block loaded as a plugin: finds or builds the plugin, checks its ABI
// version and resolves `<prefix>_abi`, `_create`, `_step` and `_destroy`, whose step takes the block's
// C pin struct. The block adapters (models/) only translate their pins.
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/cosim/rtl_plugin.h"

namespace npusim::cosim {

template <class Pins>
class RtlInstance {
 public:
  RtlInstance(const RtlBuildSpec& spec, const std::string& prefix, int abi_version, const std::string& vcd_path,
              const std::string& cache_dir)
      : plugin_(load_rtl_plugin(spec, cache_dir)) {
    auto abi = reinterpret_cast<int (*)()>(plugin_->symbol((prefix + "_abi").c_str()));
    if (abi() != abi_version) throw std::runtime_error(plugin_->path() + ": plugin ABI mismatch");
    auto create = reinterpret_cast<void* (*)(const char*)>(plugin_->symbol((prefix + "_create").c_str()));
    step_ = reinterpret_cast<void (*)(void*, Pins*)>(plugin_->symbol((prefix + "_step").c_str()));
    destroy_ = reinterpret_cast<void (*)(void*)>(plugin_->symbol((prefix + "_destroy").c_str()));
    handle_ = create(vcd_path.c_str());
  }
  ~RtlInstance() {
    if (handle_) destroy_(handle_);
  }
  RtlInstance(const RtlInstance&) = delete;
  RtlInstance& operator=(const RtlInstance&) = delete;

  void step(Pins* pins) { step_(handle_, pins); }
  const std::string& path() const { return plugin_->path(); }

 private:
  std::shared_ptr<RtlPlugin> plugin_;
  void* handle_ = nullptr;
  void (*step_)(void*, Pins*) = nullptr;
  void (*destroy_)(void*) = nullptr;
};

}  // namespace npusim::cosim
