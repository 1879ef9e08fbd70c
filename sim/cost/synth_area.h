#pragma once
// Gate-level area estimate of a Verilog module: synthesize it with yosys to generic gates, count
// transistors on a static-CMOS mapping (NAND/NOR/NOT + D flip-flops) and convert them to µm² with a
// per-node area per transistor (docs/synth_area.md: flow, node table with sources, what it ignores).
// Good for relative comparisons between RTL variants; it is not a technology-library area.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace npusim::cost {

struct SynthSpec {
  std::string top;                                          // top module name
  std::vector<std::string> sources;                         // Verilog / SystemVerilog files (read -sv)
  std::vector<std::pair<std::string, std::string>> params;  // chparam -set NAME VALUE on top
  std::vector<std::string> defines;                         // read_verilog -DNAME or -DNAME=VALUE
  std::string work_dir;  // script, logs and stat files go here; empty = a fresh temp dir
};

struct SynthResult {
  int64_t cells = 0;                          // generic-gate netlist after `synth` (as scripts/synth_rtl.sh)
  std::map<std::string, int64_t> cell_types;  // same netlist, cells per type ($_AND_, $_SDFF_PP0_...)
  int64_t transistors = 0;  // static-CMOS mapping (abc -g cmos2), yosys `stat -tech cmos` + async FFs
  int64_t flip_flops = 0;   // flip-flop cells of the generic netlist (every $_*DFF*_ type)
  double area_um2 = 0.0;    // transistors * node area per transistor / utilization
  std::string node;         // normalized node name, e.g. "16nm"
  std::string log_path;     // full yosys log
  double runtime_s = 0.0;   // wall time of the yosys run
};

struct SynthOptions {
  std::string yosys = "yosys";  // executable name (searched in PATH) or path
  bool check_assert = true;     // run `check -assert` (undriven nets, multiple drivers, loops)
  // Placement utilization: area_um2 = cell area / utilization. 1.0 (default) reports cell area only;
  // pass e.g. 0.7 for a placed-block estimate.
  double utilization = 1.0;
  int timeout_s = 0;  // > 0: kill yosys after this many seconds (coreutils `timeout`)
  // true: transistors from the NAND/NOR/NOT mapping (`abc -g cmos2`, `stat -tech cmos`). false: from the
  // generic netlist's cell types at fixed per-type costs (generic_cell_transistors), for netlists whose
  // mapping does not finish in reasonable time (e.g. large constant-weight datapaths).
  bool cmos_mapping = true;
};

// Static-CMOS transistors of one cell of a yosys generic netlist type ($_AND_, $_MUX_, $_SDFFE_PP0P_, ...);
// -1 for a type without a cost (docs/synth_area.md).
int64_t generic_cell_transistors(const std::string& type);

// One technology node of the area table (docs/synth_area.md).
struct TechNode {
  std::string name;           // "65nm", "45nm", "16nm", "14nm"
  double um2_per_transistor;  // mean cell area per transistor
  std::string source;         // where the number comes from
};

// The node table, in descending feature size.
const std::vector<TechNode>& tech_nodes();

// Looks a node up by name ("16nm", "16", "16NM"); throws InputError naming the node if unknown.
const TechNode& tech_node(const std::string& node);

// Synthesizes spec.top and estimates its area at `node`. Throws npusim::InputError (one line naming
// the top, file or node) if yosys is missing, a source does not exist, synthesis fails or the node is
// unknown.
SynthResult synth_area(const SynthSpec& spec, const std::string& node, const SynthOptions& opts = {});

// First line of `yosys -V`, e.g. "Yosys 0.23 (git sha1 7ce5011c24b)". Throws InputError if yosys
// cannot be found or run.
std::string yosys_version(const std::string& yosys = "yosys");

}  // namespace npusim::cost
