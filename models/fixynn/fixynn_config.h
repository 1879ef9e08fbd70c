#pragma once
// The fixynn family's config (DESIGN.md §7): which layers are fixed, their bit widths, the fixed
// pipeline's clock and options, and the programmable back end (a config of another family, by path).
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/params.h"
#include "sim/workload/layer.h"

namespace npusim::fixynn {

struct FixynnConfig : FamilyConfig {
  int64_t fixed_layers = 0;               // the first K layers are fixed (0: split_after names the last one)
  std::string split_after;                // the last fixed layer's name (instead of fixed_layers)
  int w_bits = 8, a_bits = 8;             // of the fixed part
  double fixed_clock_mhz = 810;           // the authors' PPA model's clock
  int adder_pipeline = 0;                 // register stages after each stage's arithmetic (docs/fixynn.md)
  std::string line_buffer = "registers";  // registers | sram
  bool synth_area = false;                // yosys per stage beside the per-bit model
  double handoff_kib = 96;                // front -> back double buffer
  std::string backend_path;  // the back end's arch config (resolved against this config's folder)
  std::shared_ptr<const ArchConfig> backend;  // loaded and validated
};

std::vector<ParamSpec> fixynn_params();
// Cross-key validation; loads the back end (InputError naming backend.arch on any problem).
std::shared_ptr<const FixynnConfig> configure_fixynn(ParamValues& v);

const FixynnConfig& fix(const ArchConfig& arch);

// How many leading layers of `net` the config fixes: fixed_layers, or up to and including split_after.
// InputError naming the layer (or the key) when a fixed layer is not a conv/dwconv the pipeline takes,
// the count exceeds the network, or split_after names no layer.
size_t fixed_layer_count(const ArchConfig& arch, const Network& net);

}  // namespace npusim::fixynn
