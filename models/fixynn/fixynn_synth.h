#pragma once
// yosys area of the generated FixyNN RTL, one stage module at a time (so big front ends stay tractable
// and a changed stage re-synthesizes alone), cached on disk by the stage's Verilog text, the node and the
// yosys version. Area as sim/cost/synth_area (generic gates, transistor count x area per transistor).
#include <cstdint>
#include <string>
#include <vector>

#include "models/fixynn/fixed_net.h"

namespace npusim::fixynn {

struct StageSynthOptions {
  std::string node = "16nm";
  std::string yosys = "yosys";
  int timeout_s = 0;         // > 0: each yosys run is killed after this many seconds
  bool count_adders = true;  // the second (extract_fa) pass; off: adder_cells = -1
  std::string cache_dir;     // empty: synth_cache_dir()
  bool use_cache = true;     // false: always run yosys (the result is still stored)
  // yosys work directories (script, logs) go under this root, one per run; removed after a success,
  // kept after a failure (the error names the log). Empty: $TMPDIR/npusim_fixynn_synth.
  std::string work_root;
};

struct StageSynth {
  size_t stage = 0;
  std::string module;
  int64_t cells = 0, flip_flops = 0, transistors = 0;  // cost::SynthResult's
  double area_um2 = 0;
  // "Adders after synthesis": full- and half-adder bit cells ($fa) that yosys `extract_fa` finds in the
  // generic netlist of `synth -flatten`, i.e. one-bit adder equivalents of the constant multipliers, adder
  // trees, requantization and counters together (-1: not counted).
  int64_t adder_cells = -1;
  // Wall time of the two yosys runs (side by side) when computed; a cache hit reports the stored time.
  double runtime_s = 0;
  bool cache_hit = false;
  std::string key;  // cache key
};

// $NPUSIM_RTL_CACHE/synth, else $XDG_CACHE_HOME/npusim/synth, else ~/.cache/npusim/synth.
std::string synth_cache_dir();

// Cache key of one stage: the module name and a hash of its Verilog text, the node and the yosys version.
std::string stage_synth_key(const std::string& module, const std::string& verilog, const std::string& node,
                            const std::string& yosys_version);

// Synthesizes module `module` (the top) of `verilog`, or returns the cached result; the result is written
// to the cache atomically. A yosys failure or timeout is an InputError naming the module (and the log).
StageSynth synth_fixynn_stage(const std::string& module, const std::string& verilog,
                              const StageSynthOptions& opts = {});

// Every stage of the net's generated RTL (generate_fixynn_rtl), in order; InputError names the stage.
std::vector<StageSynth> synth_fixynn_stages(const FixedNet& net, const StageSynthOptions& opts = {});

}  // namespace npusim::fixynn
