#include "sim/cosim/rtl_plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "sim/common/input_file.h"
#include "sim/common/rng.h"

#ifndef NPUSIM_VERILATOR_ROOT
#define NPUSIM_VERILATOR_ROOT "/usr/share/verilator"
#endif
#ifndef NPUSIM_PLUGIN_CXXFLAGS
#define NPUSIM_PLUGIN_CXXFLAGS "-O2"
#endif
#ifndef NPUSIM_RTL_PREBUILT_DIR
#define NPUSIM_RTL_PREBUILT_DIR ""
#endif

namespace fs = std::filesystem;

namespace npusim::cosim {

namespace {

std::string read_file(const std::string& path) {
  std::optional<std::string> text = read_whole_file(path);
  if (!text) throw std::runtime_error(path + ": cannot read RTL plugin source");
  return *text;
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string capture(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return out;
}

const std::string& verilator_version() {
  static const std::string v = capture("verilator --version 2>/dev/null");
  return v;
}

// The compiler that builds the runtime and the plugins: a new one must not reuse objects of the old.
const std::string& compiler_version() {
  static const std::string v = capture("g++ --version 2>/dev/null");
  return v;
}

// Registers and memories power up to values chosen per instance at run time (random or zero; see
// plugin_abi.h), so a register its reset misses differs from the model's.
const char* const kVerilatorFlags = "--cc -O3 --x-assign fast --x-initial unique --no-timing";

void run(const std::string& cmd, const std::string& log) {
  const std::string full = cmd + " >>'" + log + "' 2>&1";
  if (std::system(full.c_str()) != 0)
    throw std::runtime_error("RTL plugin build failed: " + cmd.substr(0, 120) + "... (log: " + log + ")");
}

std::string quote(const std::string& s) {
  return "'" + s + "'";
}

// Verilator's runtime, compiled once per Verilator version and cache directory, position independent
// and with hidden symbols so several plugins can live in one process.
std::string build_runtime(const std::string& cache, const std::string& log) {
  const std::string dir =
      cache + "/runtime-" + hex(Rng::hash(verilator_version() + compiler_version() + NPUSIM_PLUGIN_CXXFLAGS));
  const std::string lib = dir + "/libverilated_pic.a";
  if (fs::exists(lib)) return lib;
  const std::string tmp = dir + ".tmp" + std::to_string(getpid());
  fs::create_directories(tmp);
  const std::string inc = NPUSIM_VERILATOR_ROOT "/include";
  std::string objs;
  for (const char* src : {"verilated.cpp", "verilated_vcd_c.cpp", "verilated_threads.cpp"}) {
    const std::string obj = tmp + "/" + std::string(src) + ".o";
    run("g++ -std=c++17 " NPUSIM_PLUGIN_CXXFLAGS " -fPIC -fvisibility=hidden -DVM_TRACE=1 -I" + inc + " -I" +
            inc + "/vltstd -c " + inc + "/" + src + " -o " + quote(obj),
        log);
    objs += " " + quote(obj);
  }
  run("ar rcs " + quote(tmp + "/libverilated_pic.a") + objs, log);
  std::error_code ec;
  fs::rename(tmp, dir, ec);  // another process may have won the race; then use its copy
  if (ec) fs::remove_all(tmp);
  return lib;
}

}  // namespace

RtlPlugin::~RtlPlugin() {
  if (handle_) dlclose(handle_);
}

void* RtlPlugin::symbol(const char* name) const {
  void* s = dlsym(handle_, name);
  if (!s) throw std::runtime_error(path_ + ": missing symbol " + name);
  return s;
}

std::string rtl_cache_key(const RtlBuildSpec& spec) {
  std::string blob = verilator_version() + "|cxx=" + compiler_version() +
                     "|cxxflags=" NPUSIM_PLUGIN_CXXFLAGS + "|verilator=" + kVerilatorFlags +
                     "|top=" + spec.top + "|trace=" + (spec.trace ? "1" : "0");
  for (const auto& [k, v] : spec.params) blob += "|G" + k + "=" + v;
  for (const auto& d : spec.defines) blob += "|D" + d;
  for (const auto& s : spec.sources) blob += "|src:" + read_file(s);
  blob += "|shim:" + read_file(spec.shim);
  for (const auto& d : spec.shim_defines) blob += "|shimD" + d;
  for (const auto& d : spec.include_dirs) blob += "|inc:" + d;
  for (const auto& f : spec.key_files) blob += "|hdr:" + read_file(f);
  for (const auto& f : spec.dpi_sources) blob += "|dpi:" + read_file(f);
  std::string name = spec.top;
  for (const auto& [k, v] : spec.params) name += "_" + k + v;
  for (const auto& d : spec.defines) name += "_" + d;
  return name + "_" + hex(Rng::hash(blob));
}

std::string rtl_user_cache_dir() {
  if (const char* e = std::getenv("NPUSIM_RTL_CACHE"); e && *e) return e;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/npusim/rtl";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/npusim/rtl";
  return "/tmp/npusim-rtl-cache";
}

std::string rtl_prebuilt_dir() {
  return NPUSIM_RTL_PREBUILT_DIR;
}

std::shared_ptr<RtlPlugin> load_rtl_plugin(const RtlBuildSpec& spec, const std::string& cache_dir) {
  const std::string key = rtl_cache_key(spec);
  std::string so;
  for (const std::string& dir : {rtl_prebuilt_dir(), cache_dir.empty() ? rtl_user_cache_dir() : cache_dir}) {
    if (!dir.empty() && fs::exists(dir + "/" + key + "/plugin.so")) {
      so = dir + "/" + key + "/plugin.so";
      break;
    }
  }
  if (so.empty()) {
    const std::string cache = cache_dir.empty() ? rtl_user_cache_dir() : cache_dir;
    fs::create_directories(cache);
    const std::string final_dir = cache + "/" + key;
    const std::string tmp = final_dir + ".tmp" + std::to_string(getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp + "/obj");
    const std::string log = tmp + "/build.log";
    std::cerr << "npusim: building RTL plugin " << key << " (first use of this parameter set) ...\n";
    const std::string runtime = build_runtime(cache, log);
    std::string cmd = std::string("verilator ") + kVerilatorFlags + " --prefix V" + spec.top +
                      " --top-module " + spec.top + " -Mdir " + quote(tmp + "/obj");
    if (spec.trace) cmd += " --trace";
    for (const auto& [k, v] : spec.params) cmd += " -G" + k + "=" + v;
    for (const auto& d : spec.defines) cmd += " +define+" + d;
    for (const auto& s : spec.sources) cmd += " " + quote(s);
    run(cmd, log);
    const std::string inc = NPUSIM_VERILATOR_ROOT "/include";
    std::string srcs;
    for (const auto& d : spec.include_dirs) srcs += " -I" + quote(d);
    for (const auto& d : spec.shim_defines) srcs += " " + quote("-D" + d);
    for (const auto& e : fs::directory_iterator(tmp + "/obj"))
      if (e.path().extension() == ".cpp") srcs += " " + quote(e.path().string());
    for (const auto& f : spec.dpi_sources) srcs += " " + quote(f);
    run("g++ -std=c++17 " NPUSIM_PLUGIN_CXXFLAGS " -fPIC -shared -fvisibility=hidden -DVM_TRACE=" +
            std::string(spec.trace ? "1" : "0") + " -DNPUSIM_TOP_HEADER='\"V" + spec.top +
            ".h\"' -DNPUSIM_TOP_CLASS=V" + spec.top + " -I" + quote(tmp + "/obj") + " -I" + inc + " -I" +
            inc + "/vltstd " + srcs + " " + quote(spec.shim) + " " + quote(runtime) + " -o " +
            quote(tmp + "/plugin.so") + " -lpthread",
        log);
    std::error_code ec;
    fs::rename(tmp, final_dir, ec);
    if (ec) fs::remove_all(tmp);  // built concurrently by another process
    so = final_dir + "/plugin.so";
  }
  void* h = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) throw std::runtime_error(std::string("cannot load RTL plugin: ") + dlerror());
  return std::make_shared<RtlPlugin>(h, so);
}

}  // namespace npusim::cosim
