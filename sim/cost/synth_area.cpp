#include "sim/cost/synth_area.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/input_file.h"

namespace fs = std::filesystem;

namespace npusim::cost {

namespace {

// Area per transistor = a public standard-cell figure / its transistor count. The full derivation,
// cross-checks and caveats are in docs/synth_area.md.
const std::vector<TechNode> kNodes = {
    // 65 nm: ARM/Artisan 65 nm 12-track NAND2X1A12TR = 1.8 µm² (comment in a public Synopsys DC
    // script; a 9-track library is smaller, ~1.4 µm²). 1.8 / 4 = 0.45.
    {"65nm", 0.45, "65nm 12-track NAND2X1 (ARM/Artisan) 1.8 um2 / 4 transistors"},
    // 45 nm: NanGate FreePDK45 Open Cell Library NAND2_X1, LEF SIZE 0.57 x 1.40 = 0.798 µm².
    {"45nm", 0.1995, "NanGate FreePDK45 NAND2_X1 0.57 x 1.40 = 0.798 um2 / 4 transistors"},
    // 16 nm FinFET: ~28 MTr/mm² for foundry 14/16 nm (Intel, Technology & Manufacturing Day 2017,
    // Bohr's 0.6 NAND2 + 0.4 scan-FF metric); 1/28 µm². Cross-check: TSMC 16FF NAND2 = 3 CPP (90 nm)
    // x 9 tracks x 64 nm = 0.156 µm² -> 0.039 µm² per transistor.
    {"16nm", 1.0 / 28.0, "foundry 16nm FinFET ~28 MTr/mm2 (Intel 2017, 0.6 NAND2 + 0.4 SFF metric)"},
    // 14 nm FinFET: Intel 14 nm 37.5 MTr/mm² (same source and metric); 1/37.5 µm².
    {"14nm", 1.0 / 37.5, "Intel 14nm 37.5 MTr/mm2 (Intel 2017, 0.6 NAND2 + 0.4 SFF metric)"},
};

// Transistor costs of cells that yosys 0.23 `stat -tech cmos` leaves uncosted (it prints "N+").
// Our assumption: a static D flip-flop is 16 T (yosys's $_DFF_P_); an async reset or set turns two
// of its loop inverters into 2-input gates (+4 T), set and reset into 3-input gates (+8 T).
const std::map<std::string, int64_t> kExtraCosts = {
    {"$_DFF_PN0_", 20},
    {"$_DFF_PN1_", 20},
    {"$_DFFSR_PNN_", 24},
};

// Static-CMOS costs of yosys's generic gates (our assumption, docs/synth_area.md): NAND/NOR 4, AND/OR 6,
// NOT 2, BUF 4, AND-NOT/OR-NOT 6, XOR/XNOR 12, MUX 12 (NMUX 10), AOI3/OAI3 6, AOI4/OAI4 8.
const std::map<std::string, int64_t> kGenericGates = {
    {"$_NOT_", 2},    {"$_BUF_", 4},   {"$_NAND_", 4}, {"$_NOR_", 4},   {"$_AND_", 6},  {"$_OR_", 6},
    {"$_ANDNOT_", 6}, {"$_ORNOT_", 6}, {"$_XOR_", 12}, {"$_XNOR_", 12}, {"$_MUX_", 12}, {"$_NMUX_", 10},
    {"$_AOI3_", 6},   {"$_OAI3_", 6},  {"$_AOI4_", 8}, {"$_OAI4_", 8}};

// Cell types yosys 0.23 costs in `stat -tech cmos` after `abc -g cmos2` (NAND/NOR 4, NOT 2, DFF 16).
bool yosys_costs(const std::string& type) {
  return type == "$_NAND_" || type == "$_NOR_" || type == "$_NOT_" || type == "$_DFF_P_";
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// A token that goes into the yosys script: no newline, comment or command separator, so a value
// cannot inject commands; whitespace only inside a double-quoted string.
bool script_safe(const std::string& s, bool allow_quoted_space) {
  if (s.empty()) return false;
  if (s.find_first_of("\n\r;#") != std::string::npos) return false;
  bool quoted = allow_quoted_space && s.size() >= 2 && s.front() == '"' && s.back() == '"' &&
                s.find('"', 1) == s.size() - 1;
  if (!quoted && s.find_first_of(" \t\"") != std::string::npos) return false;
  return true;
}

// Paths are double-quoted in the script; yosys has no escape for '"' or a newline inside one.
std::string script_path(const std::string& p, const std::string& what) {
  if (p.find_first_of("\"\n\r") != std::string::npos)
    throw InputError("synth_area: " + what + " path '" + p + "' contains a quote or newline");
  return "\"" + p + "\"";
}

std::string find_executable(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) dir = ".";
    fs::path cand = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(cand, ec) && ::access(cand.c_str(), X_OK) == 0) return cand.string();
  }
  return {};
}

std::string require_yosys(const std::string& yosys, const std::string& context) {
  std::string exe = find_executable(yosys);
  if (exe.empty())
    throw InputError("synth_area: yosys executable '" + yosys + "' not found" +
                     (context.empty() ? "" : " (" + context + ")") + "; install yosys or set its path");
  return fs::absolute(exe).string();  // synth_area runs it from the work dir
}

// First "ERROR:" line of the yosys log (or its captured stderr), for a one-line exception message.
std::string first_error(const fs::path& log, const fs::path& out) {
  for (const auto& p : {log, out}) {
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
      auto pos = line.find("ERROR:");
      if (pos != std::string::npos) return line.substr(pos);
    }
  }
  return "no ERROR line in the log";
}

struct Stat {
  int64_t cells = -1;
  std::map<std::string, int64_t> types;
  int64_t transistors = -1;
  bool partial = false;  // "N+": some cells had no CMOS cost
};

// Parses a `stat` report written by `tee -o`. Uses the last module block (with -flatten there is one).
// Accepts the yosys 0.23 layout ("Number of cells: N" / "$_AND_ N") and the newer one ("N cells" /
// "N $_AND_").
Stat parse_stat(const std::string& text) {
  static const std::regex cells_old(R"(^\s*Number of cells:\s+(\d+)\s*$)");
  static const std::regex cells_new(R"(^\s*(\d+)\s+cells\s*$)");
  static const std::regex type_old(R"(^\s+(\$\S+)\s+(\d+)\s*$)");
  static const std::regex type_new(R"(^\s+(\d+)\s+(\$\S+)\s*$)");
  static const std::regex trans(R"(Estimated number of transistors:\s+(\d+)(\+?))");
  Stat st;
  std::stringstream ss(text);
  std::string line;
  bool in_types = false;
  std::smatch m;
  while (std::getline(ss, line)) {
    if (std::regex_match(line, m, cells_old) || std::regex_match(line, m, cells_new)) {
      st.cells = std::stoll(m[1]);
      st.types.clear();
      in_types = true;
      continue;
    }
    if (std::regex_search(line, m, trans)) {
      st.transistors = std::stoll(m[1]);
      st.partial = m[2].length() > 0;
      in_types = false;
      continue;
    }
    if (!in_types) continue;
    if (std::regex_match(line, m, type_old))
      st.types[m[1]] += std::stoll(m[2]);
    else if (std::regex_match(line, m, type_new))
      st.types[m[2]] += std::stoll(m[1]);
    else if (line.find_first_not_of(" \t") == std::string::npos)
      in_types = false;
  }
  return st;
}

fs::path fresh_work_dir(const std::string& top) {
  static std::atomic<int> counter{0};
  std::string leaf = top;
  for (char& c : leaf)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  return fs::temp_directory_path() / "npusim_synth" /
         (leaf + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
}

}  // namespace

const std::vector<TechNode>& tech_nodes() {
  return kNodes;
}

const TechNode& tech_node(const std::string& node) {
  std::string key;
  for (char c : node)
    if (!std::isspace(static_cast<unsigned char>(c))) key += static_cast<char>(std::tolower(c));
  if (key.size() > 2 && key.compare(key.size() - 2, 2, "nm") == 0) key.resize(key.size() - 2);
  for (const auto& n : kNodes)
    if (n.name == key + "nm") return n;
  std::string known;
  for (const auto& n : kNodes) known += (known.empty() ? "" : ", ") + n.name;
  throw InputError("synth_area: unknown technology node '" + node + "' (known: " + known + ")");
}

std::string yosys_version(const std::string& yosys) {
  std::string exe = require_yosys(yosys, "");
  std::string cmd = shell_quote(exe) + " -V 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw InputError("synth_area: cannot run '" + exe + " -V'");
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int status = ::pclose(p);
  auto nl = out.find('\n');
  std::string first = out.substr(0, nl);
  if (status != 0 || first.empty())
    throw InputError("synth_area: '" + exe + " -V' failed: " + (first.empty() ? "no output" : first));
  return first;
}

// The result from the generic netlist alone (SynthOptions::cmos_mapping false).
static SynthResult generic_result(const Stat& g, const TechNode& tn, const SynthOptions& opts,
                                  const std::string& ctx, const std::string& log, double runtime) {
  if (g.cells < 0)
    throw InputError("synth_area: cannot parse yosys stat output for " + ctx + " (log: " + log + ")");
  SynthResult r;
  r.cells = g.cells;
  r.cell_types = g.types;
  for (const auto& [type, n] : g.types) {
    if (type.find("DFF") != std::string::npos) r.flip_flops += n;
    const int64_t t = generic_cell_transistors(type);
    if (t < 0)
      throw InputError("synth_area: no transistor cost for generic cell type " + type + " in " + ctx);
    r.transistors += n * t;
  }
  r.node = tn.name;
  r.area_um2 = static_cast<double>(r.transistors) * tn.um2_per_transistor / opts.utilization;
  r.log_path = log;
  r.runtime_s = runtime;
  return r;
}

SynthResult synth_area(const SynthSpec& spec, const std::string& node, const SynthOptions& opts) {
  // Cheap checks first, so bad input fails without running yosys.
  const TechNode& tn = tech_node(node);
  const std::string ctx = "top '" + spec.top + "'";
  if (spec.top.empty() || !script_safe(spec.top, false))
    throw InputError("synth_area: invalid top module name '" + spec.top + "'");
  if (spec.sources.empty()) throw InputError("synth_area: no Verilog sources given for " + ctx);
  if (!(opts.utilization > 0.0 && opts.utilization <= 1.0))
    throw InputError("synth_area: utilization must be in (0, 1], got " + std::to_string(opts.utilization));
  std::vector<std::string> sources;
  for (const auto& s : spec.sources) {
    std::error_code ec;
    if (!fs::is_regular_file(s, ec))
      throw InputError("synth_area: Verilog source '" + s + "' not found (" + ctx + ")");
    sources.push_back(fs::absolute(s).lexically_normal().string());
  }
  for (const auto& [name, value] : spec.params)
    if (!script_safe(name, false) || !script_safe(value, true))
      throw InputError("synth_area: invalid parameter '" + name + "=" + value + "' for " + ctx);
  for (const auto& d : spec.defines)
    if (!script_safe(d, false)) throw InputError("synth_area: invalid define '" + d + "' for " + ctx);
  const std::string exe = require_yosys(opts.yosys, ctx);

  fs::path dir = spec.work_dir.empty() ? fresh_work_dir(spec.top) : fs::path(spec.work_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw InputError("synth_area: cannot create work directory '" + dir.string() + "': " + ec.message());
  dir = fs::absolute(dir);
  const fs::path script = dir / "synth.ys", log = dir / "synth.log", out = dir / "yosys.out";
  const fs::path generic = dir / "stat_generic.txt", cmos = dir / "stat_cmos.txt";
  for (const auto& p : {log, out, generic, cmos}) fs::remove(p, ec);  // no stale results

  {
    std::ofstream ys(script);
    ys << "# written by npusim::cost::synth_area (docs/synth_area.md)\n";
    ys << "read_verilog -sv";
    for (const auto& d : spec.defines) ys << " -D" << d;
    for (const auto& s : sources) ys << " " << script_path(s, "source");
    ys << "\n";
    if (!spec.params.empty()) {
      ys << "chparam";
      for (const auto& [name, value] : spec.params) ys << " -set " << name << " " << value;
      ys << " " << spec.top << "\n";
    }
    ys << "synth -top " << spec.top << " -flatten\n";
    if (opts.check_assert) ys << "check -assert\n";
    // Cell counts of the generic netlist (comparable with scripts/synth_rtl.sh).
    ys << "tee -q -o " << generic.filename().string() << " stat\n";
    // Transistor count: `stat -tech cmos` gives sync-reset/enable flip-flops and MUX/XOR-like cells
    // no or optimistic costs, so first lower every flip-flop to a plain (or async-reset) DFF plus
    // logic and map all logic to NAND/NOR/NOT.
    if (opts.cmos_mapping) {
      ys << "dfflegalize -cell $_DFF_P_ 01 -cell $_DFF_PN0_ 01 -cell $_DFF_PN1_ 01 -cell $_DFFSR_PNN_ 01\n";
      ys << "abc -g cmos2\n";
      ys << "opt_clean\n";
      ys << "tee -q -o " << cmos.filename().string() << " stat -tech cmos\n";
    }
    if (!ys) throw InputError("synth_area: cannot write yosys script '" + script.string() + "'");
  }

  // yosys runs in the work dir: `tee -o` takes no quoted file names, so its outputs are relative.
  std::string cmd = "cd " + shell_quote(dir.string()) + " && ";
  if (opts.timeout_s > 0) cmd += "timeout " + std::to_string(opts.timeout_s) + " ";
  cmd += shell_quote(exe) + " -q -l " + shell_quote(log.string()) + " -s " + shell_quote(script.string()) +
         " >" + shell_quote(out.string()) + " 2>&1";
  auto t0 = std::chrono::steady_clock::now();
  int status = std::system(cmd.c_str());
  double runtime = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status == -1) throw InputError("synth_area: cannot start yosys for " + ctx);
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  if (opts.timeout_s > 0 && rc == 124)
    throw InputError("synth_area: yosys timed out after " + std::to_string(opts.timeout_s) + " s for " + ctx +
                     " (log: " + log.string() + ")");
  if (rc != 0)
    throw InputError("synth_area: yosys failed for " + ctx + " (exit " + std::to_string(rc) +
                     "): " + first_error(log, out) + " (log: " + log.string() + ")");

  Stat g = parse_stat(read_whole_file(generic.string()).value_or(""));
  if (!opts.cmos_mapping) return generic_result(g, tn, opts, ctx, log.string(), runtime);
  Stat c = parse_stat(read_whole_file(cmos.string()).value_or(""));
  if (g.cells < 0 || c.cells < 0 || c.transistors < 0)
    throw InputError("synth_area: cannot parse yosys stat output for " + ctx + " (" + generic.string() +
                     ", " + cmos.string() + ")");

  SynthResult r;
  r.cells = g.cells;
  r.cell_types = g.types;
  for (const auto& [type, n] : g.types)
    if (type.find("DFF") != std::string::npos) r.flip_flops += n;
  r.transistors = c.transistors;
  if (c.partial) {
    for (const auto& [type, n] : c.types) {
      if (yosys_costs(type)) continue;
      auto it = kExtraCosts.find(type);
      if (it == kExtraCosts.end())
        throw InputError("synth_area: no transistor cost for cell type " + type + " in " + ctx +
                         " (log: " + log.string() + ")");
      r.transistors += n * it->second;
    }
  }
  r.node = tn.name;
  r.area_um2 = static_cast<double>(r.transistors) * tn.um2_per_transistor / opts.utilization;
  r.log_path = log.string();
  r.runtime_s = runtime;
  return r;
}

int64_t generic_cell_transistors(const std::string& type) {
  if (auto it = kGenericGates.find(type); it != kGenericGates.end()) return it->second;
  if (type.find("DFF") == std::string::npos) return -1;
  // A D flip-flop (16) plus its extras: async reset or set +4 (+8 both), a synchronous reset an AND/OR
  // (+6), an enable a 2:1 mux (+12).
  int64_t t = 16;
  if (type.rfind("$_DFFSR", 0) == 0 || type.rfind("$_DFFSRE", 0) == 0)
    t += 8;
  else if (type.rfind("$_DFF_P", 0) == 0 && type.size() > 8 && type != "$_DFF_P_" && type != "$_DFF_N_")
    t += 4;  // $_DFF_PN0_ and the like: async reset/set
  if (type.rfind("$_SDFF", 0) == 0) t += 6;
  if (type.find("DFFE") != std::string::npos || type.find("DFFCE") != std::string::npos) t += 12;
  return t;
}

}  // namespace npusim::cost
