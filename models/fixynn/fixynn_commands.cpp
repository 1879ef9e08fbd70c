#include "models/fixynn/fixynn_commands.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "models/fixynn/fixed_segment.h"
#include "models/fixynn/fixynn_config.h"
#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/seed.h"
#include "sim/config/arch_loader.h"
#include "sim/driver/driver.h"
#include "sim/workload/workload_loader.h"

namespace npusim::fixynn {
namespace {

// The fixed front end a run of `arch` on `workload` builds: the same operands (real weights, or seeded
// ones for a layer table), taken from the executor's golden preparation of the front-end segment.
FixedNet front_end(const ArchConfig& arch, const Network& net, uint64_t seed, const std::string& kernels,
                   const std::string& rounding) {
  const size_t k = fixed_layer_count(arch, net);
  if (k == 0) throw InputError(arch.source + ": no fixed layers to generate");
  FixedNet fixed;
  bool seen = false;
  RunOptions opts;
  opts.fast = true;
  opts.seed = seed;
  opts.kernels = kernels;
  opts.rounding = rounding;
  opts.on_segment = [&](size_t first, const std::vector<LayerOperands>& ops) {
    if (first != 0 || seen) return;
    fixed = fixed_front_end(arch, ops);
    seen = true;
  };
  run_network(arch, net, opts);
  if (!seen) throw std::logic_error("fixynn generate: the run mapped no front-end segment");
  return fixed;
}

int generate(const std::map<std::string, std::string>& v) {
  const ArchConfig arch = load_arch(v.at("--arch"), {});
  if (arch.family != "fixynn")
    throw InputError("--arch: " + arch.source + " is a " + arch.family + " design, not fixynn");
  const Network net = load_workload(v.at("--workload"));
  const std::string out = v.count("--out") ? v.at("--out") : "fixynn_rtl";
  const uint64_t seed = v.count("--seed") ? parse_seed(v.at("--seed")) : 1;
  const FixedNet fixed = front_end(arch, net, seed, v.count("--kernels") ? v.at("--kernels") : "reference",
                                   v.count("--rounding") ? v.at("--rounding") : "double");
  const GeneratedRtl rtl = generate_fixynn_rtl(fixed);
  rtl.write_rtl(out);
  std::cout << fmt::format("fixynn generate: {} stage(s) from {} ({}), seed {} -> {}\n", fixed.stages.size(),
                           net.name, net.source, seed, out);
  for (size_t s = 0; s < fixed.stages.size(); ++s) {
    const FixedStage& st = fixed.stages[s];
    std::cout << fmt::format(
        "  stage {} {}: {}x{}x{} -> {}x{}x{}, {} non-zero weights, line buffer {} rows\n", s, st.name, st.H,
        st.W, st.in_channels(), st.OH, st.OW, st.out_channels(), st.nonzero_weights(), st.buffer_rows());
  }
  for (const auto& [name, text] : rtl.files)
    std::cout << "  wrote " << (std::filesystem::path(out) / name).string() << "\n";
  return 0;
}

}  // namespace

std::vector<FamilyCommand> fixynn_commands() {
  FamilyCommand g;
  g.name = "generate";
  g.description = "write the fixed front end's Verilog (one module per stage, a top) and manifest.json";
  g.options = {
      {"--arch", "fixynn arch config YAML"},
      {"--workload", "layer table (CSV) or .tflite model"},
      {"--out", "output directory (default fixynn_rtl)"},
      {"--seed", "seed of a layer table's weights (default 1, as npusim run)"},
      {"--kernels", "a model's golden kernels, as npusim run (reference|builtin: single-rounding conv)"},
      {"--rounding", "conv requantization, as npusim run (double|single)"}};
  g.required = {"--arch", "--workload"};
  g.run = generate;
  return {g};
}

}  // namespace npusim::fixynn
