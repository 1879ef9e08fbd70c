#pragma once
// Verilated RTL as a loadable plugin. Any parameter set a user configures is verilated and compiled on
// first use into a shared object, cached under a key made of the parameters, the RTL and shim sources'
// contents, the Verilator and C++ compiler versions, so sweeping shapes never needs CMake. The build tree prebuilds
// the parameter sets the test suite uses into a read-only cache that is searched first.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace npusim::cosim {

struct RtlBuildSpec {
  std::string top;                               // top module, e.g. "sa_array"
  std::vector<std::string> sources;              // Verilog files
  std::map<std::string, std::string> params;     // -G overrides
  std::vector<std::string> defines;              // +define+ (e.g. fault variants)
  std::string shim;                              // C++ source implementing the plugin ABI
  std::vector<std::string> shim_defines;         // -D for the shim (e.g. its port lists)
  std::vector<std::string> include_dirs;         // for the shim
  std::vector<std::string> key_files;            // headers the shim includes (part of the cache key)
  std::vector<std::string> dpi_sources;          // C++ implementing the RTL's DPI-C imports (compiled in)
  bool trace = false;                            // build with --trace (VCD of internal signals)
};

class RtlPlugin {
 public:
  RtlPlugin(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  ~RtlPlugin();
  RtlPlugin(const RtlPlugin&) = delete;
  RtlPlugin& operator=(const RtlPlugin&) = delete;
  // Resolve an exported symbol; throws if missing.
  void* symbol(const char* name) const;
  const std::string& path() const { return path_; }

 private:
  void* handle_;
  std::string path_;
};

// Cache key (hex) of a build spec.
std::string rtl_cache_key(const RtlBuildSpec& spec);
// Directory searched for prebuilt plugins (read-only), then the writable user cache
// ($NPUSIM_RTL_CACHE, else $XDG_CACHE_HOME/npusim/rtl, else ~/.cache/npusim/rtl).
std::string rtl_user_cache_dir();
std::string rtl_prebuilt_dir();
// Find or build the plugin and load it. `cache_dir` overrides the writable cache (used to prebuild).
// Progress goes to stderr when a build is needed. Throws std::runtime_error if the build fails.
std::shared_ptr<RtlPlugin> load_rtl_plugin(const RtlBuildSpec& spec, const std::string& cache_dir = "");

}  // namespace npusim::cosim
