#include "models/fixynn/fixynn_synth.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/input_file.h"
#include "sim/common/output_file.h"
#include "sim/common/rng.h"
#include "sim/cost/synth_area.h"

namespace fs = std::filesystem;

namespace npusim::fixynn {

namespace {

// Bumped when the flow below (scripts, what is counted) changes, so old cache entries stop matching.
constexpr const char* kFlowVersion = "fixynn-synth-2";

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << std::hex << v;
  return s.str();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path fresh_dir(const std::string& root, const std::string& module) {
  static std::atomic<int> counter{0};
  const fs::path base = root.empty() ? fs::temp_directory_path() / "npusim_fixynn_synth" : fs::path(root);
  return base / (module + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
}

// $fa cells in a `stat` report (yosys 0.23 "  $fa  N" or newer "  N  $fa").
int64_t fa_cells(const std::string& stat) {
  static const std::regex old_layout(R"(^\s+\$fa\s+(\d+)\s*$)"), new_layout(R"(^\s+(\d+)\s+\$fa\s*$)");
  std::stringstream ss(stat);
  std::string line;
  std::smatch m;
  int64_t n = 0;
  while (std::getline(ss, line))
    if (std::regex_match(line, m, old_layout) || std::regex_match(line, m, new_layout)) n = std::stoll(m[1]);
  return n;
}

// The second pass: the same generic netlist, then yosys's full/half-adder extraction.
int64_t count_adders(const fs::path& dir, const fs::path& source, const std::string& module,
                     const StageSynthOptions& opts, const std::string& ctx) {
  const fs::path script = dir / "adders.ys", log = dir / "adders.log", out = dir / "adders.out";
  {
    std::ofstream ys(script);
    ys << "read_verilog -sv \"" << source.string() << "\"\n"
       << "synth -top " << module << " -flatten\n"
       << "extract_fa\n"
       << "tee -q -o stat_fa.txt stat\n";
  }
  std::string cmd = "cd " + shell_quote(dir.string()) + " && ";
  if (opts.timeout_s > 0) cmd += "timeout " + std::to_string(opts.timeout_s) + " ";
  cmd += shell_quote(opts.yosys) + " -q -l " + shell_quote(log.string()) + " -s " +
         shell_quote(script.string()) + " >" + shell_quote(out.string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  const int rc = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  if (opts.timeout_s > 0 && rc == 124)
    throw InputError("fixynn synth: " + ctx + ": yosys (extract_fa) timed out after " +
                     std::to_string(opts.timeout_s) + " s (log: " + log.string() + ")");
  if (rc != 0)
    throw InputError("fixynn synth: " + ctx + ": yosys (extract_fa) failed with exit " + std::to_string(rc) +
                     " (log: " + log.string() + ")");
  return fa_cells(read_whole_file((dir / "stat_fa.txt").string()).value_or(""));
}

nlohmann::json to_json(const StageSynth& s) {
  return {{"module", s.module},         {"cells", s.cells},
          {"flip_flops", s.flip_flops}, {"transistors", s.transistors},
          {"area_um2", s.area_um2},     {"adder_cells", s.adder_cells},
          {"runtime_s", s.runtime_s},   {"key", s.key}};
}

// A cached result, or false if there is none (or it cannot be read: then it is recomputed).
bool load_cached(const fs::path& file, const std::string& key, bool need_adders, StageSynth& s) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;
  try {
    const nlohmann::json j = nlohmann::json::parse(read_whole_file(file.string()).value_or(""));
    if (j.at("key").get<std::string>() != key) return false;
    if (need_adders && j.at("adder_cells").get<int64_t>() < 0) return false;
    s.cells = j.at("cells").get<int64_t>();
    s.flip_flops = j.at("flip_flops").get<int64_t>();
    s.transistors = j.at("transistors").get<int64_t>();
    s.area_um2 = j.at("area_um2").get<double>();
    s.adder_cells = j.at("adder_cells").get<int64_t>();
    s.runtime_s = j.at("runtime_s").get<double>();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string synth_cache_dir() {
  if (const char* e = std::getenv("NPUSIM_RTL_CACHE"); e && *e) return std::string(e) + "/synth";
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/npusim/synth";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/npusim/synth";
  return "/tmp/npusim-synth-cache";
}

std::string stage_synth_key(const std::string& module, const std::string& verilog, const std::string& node,
                            const std::string& yosys_version) {
  const std::string blob = std::string(kFlowVersion) + "|node:" + cost::tech_node(node).name +
                           "|yosys:" + yosys_version + "|len:" + std::to_string(verilog.size()) + "|" +
                           verilog;
  // Two FNV-1a streams (forward, and with a different prefix) make a 128-bit key.
  return module + "_" + hex(Rng::hash(blob)) + hex(Rng::hash("npusim-fixynn-synth|" + blob));
}

StageSynth synth_fixynn_stage(const std::string& module, const std::string& verilog,
                              const StageSynthOptions& opts) {
  const std::string ctx = "module '" + module + "'";
  StageSynth s;
  s.module = module;
  s.key = stage_synth_key(module, verilog, opts.node, cost::yosys_version(opts.yosys));
  const fs::path cache = opts.cache_dir.empty() ? fs::path(synth_cache_dir()) : fs::path(opts.cache_dir);
  const fs::path entry = cache / (s.key + ".json");
  if (opts.use_cache && load_cached(entry, s.key, opts.count_adders, s)) {
    s.cache_hit = true;
    if (!opts.count_adders) s.adder_cells = -1;
    return s;
  }
  const fs::path dir = fresh_dir(opts.work_root, module);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError("fixynn synth: " + ctx + ": cannot create " + dir.string() + ": " + ec.message());
  const fs::path source = fs::absolute(dir / (module + ".v"));
  write_atomically(source.string(), verilog);
  cost::SynthSpec spec;
  spec.top = module;
  spec.sources = {source.string()};
  spec.work_dir = dir.string();
  cost::SynthOptions so;
  so.yosys = opts.yosys;
  so.timeout_s = opts.timeout_s;
  // The NAND/NOR mapping does not finish on realistic stages (an hour on VWW's first conv): transistors
  // from the generic netlist's cell types instead (cost::generic_cell_transistors).
  so.cmos_mapping = false;
  const auto t0 = std::chrono::steady_clock::now();
  cost::SynthResult r;
  // The adder pass runs beside the area run (yosys is single-threaded): wall time is the longer one.
  std::future<int64_t> adders;
  if (opts.count_adders)
    adders = std::async(std::launch::async, [&] { return count_adders(dir, source, module, opts, ctx); });
  try {
    r = cost::synth_area(spec, opts.node, so);
    if (adders.valid()) s.adder_cells = adders.get();
  } catch (const InputError& e) {
    if (adders.valid()) adders.wait();  // it reads the work dir
    const std::string what = e.what();
    throw InputError(what.rfind("fixynn synth:", 0) == 0 ? what : "fixynn synth: " + ctx + ": " + what);
  }
  s.runtime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.cells = r.cells;
  s.flip_flops = r.flip_flops;
  s.transistors = r.transistors;
  s.area_um2 = r.area_um2;
  fs::remove_all(dir, ec);  // logs are kept only on failure
  fs::create_directories(cache, ec);
  if (!ec) {
    try {
      write_atomically(entry.string(), to_json(s).dump(2) + "\n");
    } catch (const InputError&) {
      // A read-only cache costs a re-run next time, not this result.
    }
  }
  return s;
}

std::vector<StageSynth> synth_fixynn_stages(const FixedNet& net, const StageSynthOptions& opts) {
  const GeneratedRtl rtl = generate_fixynn_rtl(net);
  std::vector<StageSynth> out;
  for (size_t i = 0; i < net.stages.size(); ++i) {
    const std::string module = "fixynn_stage" + std::to_string(i);
    const auto it = rtl.files.find(module + ".v");
    if (it == rtl.files.end()) throw InputError("fixynn synth: the generator wrote no " + module + ".v");
    try {
      StageSynth s = synth_fixynn_stage(module, it->second, opts);
      s.stage = i;
      out.push_back(s);
    } catch (const InputError& e) {
      throw InputError("stage " + std::to_string(i) + " '" + net.stages[i].name + "': " + e.what());
    }
  }
  return out;
}

}  // namespace npusim::fixynn
