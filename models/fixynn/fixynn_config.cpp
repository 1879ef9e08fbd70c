#include "models/fixynn/fixynn_config.h"

#include <fmt/format.h>

#include <filesystem>

#include "sim/common/error.h"
#include "sim/config/arch_loader.h"

namespace npusim::fixynn {

std::vector<ParamSpec> fixynn_params() {
  using K = ParamKind;
  const double big = 2147483647.0;
  return {
      {"fixed.layers",
       K::Integer,
       "",
       false,
       1,
       big,
       {},
       "layers",
       "the first K layers are fixed-weight stages"},
      {"fixed.split_after", K::String, "", false, 0, 0, {}, "", "or: the last fixed layer, by name"},
      {"fixed.w_bits", K::Integer, "8", false, 2, 8, {}, "bits", "weight width of the fixed part"},
      {"fixed.a_bits", K::Integer, "8", false, 2, 8, {}, "bits", "activation width of the fixed part"},
      {"fixed.clock_mhz", K::Number, "810", false, 0, 1e6, {}, "MHz", "clock of the fixed pipeline"},
      {"fixed.adder_pipeline",
       K::Integer,
       "0",
       false,
       0,
       8,
       {},
       "stages",
       "registers after each stage's adder tree"},
      {"fixed.line_buffer",
       K::Choice,
       "registers",
       false,
       0,
       0,
       {"registers", "sram"},
       "",
       "line-buffer implementation"},
      {"fixed.synth_area",
       K::Choice,
       "false",
       false,
       0,
       0,
       {"true", "false"},
       "",
       "also synthesize every stage with yosys (cached; minutes per stage) beside the per-bit model"},
      {"backend.arch", K::String, "", true, 0, 0, {}, "", "arch config of the programmable back end (path)"},
      {"handoff.kib",
       K::Number,
       "96",
       false,
       0.125,
       1e6,
       {},
       "KiB",
       "double-buffered SRAM between front and back end (two output feature maps)"},
  };
}

std::shared_ptr<const FixynnConfig> configure_fixynn(ParamValues& v) {
  auto c = std::make_shared<FixynnConfig>();
  const bool by_count = v.has("fixed.layers") && v.given("fixed.layers");
  const bool by_name = v.has("fixed.split_after") && !v.str("fixed.split_after").empty();
  if (by_count == by_name)
    v.fail(by_count ? "fixed.split_after" : "fixed.layers",
           "give exactly one of fixed.layers and fixed.split_after");
  if (by_count) c->fixed_layers = v.integer("fixed.layers");
  if (by_name) c->split_after = v.str("fixed.split_after");
  c->w_bits = static_cast<int>(v.integer("fixed.w_bits"));
  c->a_bits = static_cast<int>(v.integer("fixed.a_bits"));
  c->fixed_clock_mhz = v.number("fixed.clock_mhz");
  c->adder_pipeline = static_cast<int>(v.integer("fixed.adder_pipeline"));
  c->line_buffer = v.str("fixed.line_buffer");
  c->handoff_kib = v.number("handoff.kib");
  c->synth_area = v.str("fixed.synth_area") == "true";
  if (c->adder_pipeline > 0)
    v.fail("fixed.adder_pipeline", "pipelined adder trees are not supported yet (use 0)");
  std::filesystem::path p = v.str("backend.arch");
  if (p.is_relative() && !v.source().empty()) p = std::filesystem::path(v.source()).parent_path() / p;
  c->backend_path = p.string();
  try {
    auto backend = std::make_shared<ArchConfig>(load_arch(c->backend_path));
    if (backend->family == "fixynn") v.fail("backend.arch", c->backend_path + " is itself a fixynn design");
    c->backend = backend;
  } catch (const InputError& e) {
    v.fail("backend.arch", std::string("cannot use it as the back end: ") + e.what());
  }
  // One clock and one technology table price the vector unit and the back end's layers.
  if (c->backend->clock_mhz != v.number("clock_mhz"))
    v.fail("clock_mhz", "must equal the back end's clock_mhz (" + fmt::format("{}", c->backend->clock_mhz) +
                            " MHz in " + c->backend_path +
                            "): it clocks the back end and the vector unit; "
                            "the fixed pipeline has fixed.clock_mhz");
  if (c->backend->tech != v.str("tech"))
    v.fail("tech", "must equal the back end's tech (" + c->backend->tech + " in " + c->backend_path + ")");
  return c;
}

const FixynnConfig& fix(const ArchConfig& arch) {
  return arch.family_as<FixynnConfig>();
}

size_t fixed_layer_count(const ArchConfig& arch, const Network& net) {
  const FixynnConfig& c = fix(arch);
  size_t k = static_cast<size_t>(c.fixed_layers);
  if (!c.split_after.empty()) {
    k = 0;
    for (size_t i = 0; i < net.layers.size() && k == 0; ++i)
      if (net.layers[i].name == c.split_after) k = i + 1;
    if (k == 0)
      throw InputError(arch.source + ": fixed.split_after: no layer named '" + c.split_after + "' in " +
                       net.source);
  }
  if (k > net.layers.size())
    throw InputError(arch.source + ": fixed.layers: " + std::to_string(k) + " exceeds the " +
                     std::to_string(net.layers.size()) + " layers of " + net.source);
  for (size_t i = 0; i < k; ++i) {
    const Layer& l = net.layers[i];
    if (l.op != OpType::Conv && l.op != OpType::DwConv)
      throw InputError(l.source + ": layer '" + l.name + "' (" + to_string(l.op) +
                       ") cannot be a fixed-weight stage (conv and depthwise conv only)");
    if (i > 0 && l.inputs != std::vector<std::string>{net.layers[i - 1].name})
      throw InputError(l.source + ": layer '" + l.name + "' does not read the fixed layer before it");
  }
  // Only the last fixed layer's output leaves the front end (through the handoff buffer).
  for (size_t i = k; i < net.layers.size(); ++i)
    for (const std::string& in : net.layers[i].inputs)
      for (size_t j = 0; j + 1 < k; ++j)
        if (in == net.layers[j].name)
          throw InputError(
              net.layers[i].source + ": layer '" + net.layers[i].name + "' reads fixed layer '" + in +
              "', whose output stays inside the front end's pipeline (split at or before '" + in + "')");
  return k;
}

}  // namespace npusim::fixynn
