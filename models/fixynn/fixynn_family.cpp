// The FixyNN family (DESIGN.md §7, docs/fixynn.md) as the framework sees it: the first K layers of a
// network are a fixed-weight pipeline (one segment, generated from the workload's own weights); the rest
// run on a programmable back end, a config of another family by path, through that family's mapping and
// hardware. Front and back end work on consecutive frames (Family::pipeline_parts).
#include <fmt/format.h>

#include "models/fixynn/backend_mapping.h"
#include "models/fixynn/fixed_segment.h"
#include "models/fixynn/fixynn_actions.h"
#include "models/fixynn/fixynn_commands.h"
#include "models/fixynn/fixynn_config.h"
#include "models/fixynn/fixynn_hardware.h"
#include "sim/common/error.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim::fixynn {
namespace {

const Family& back_family(const ArchConfig& arch) {
  return family_of(*fix(arch).backend);
}
const ArchConfig& back(const ArchConfig& arch) {
  return *fix(arch).backend;
}

class FixynnFamily final : public Family {
 public:
  std::string name() const override { return "fixynn"; }
  std::string description() const override {
    return "FixyNN: a fixed-weight CNN front end generated from the workload's weights, pipelined with a "
           "programmable back end (another family's config)";
  }
  std::vector<ParamSpec> params() const override { return fixynn_params(); }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& values) const override {
    return configure_fixynn(values);
  }
  std::string summary(const ArchConfig& arch) const override {
    const FixynnConfig& c = fix(arch);
    const std::string split = c.split_after.empty() ? fmt::format("{} fixed layers", c.fixed_layers)
                                                    : "fixed up to " + c.split_after;
    return fmt::format("{} at {} MHz (w{}/a{}, {} line buffers) + back end {} ({} {})", split,
                       c.fixed_clock_mhz, c.w_bits, c.a_bits, c.line_buffer, back(arch).name,
                       back(arch).family, back_family(arch).summary(back(arch)));
  }
  // The programmable part's: the fixed stages report their own utilization.
  int64_t peak_macs_per_cycle(const ArchConfig& arch) const override {
    return back_family(arch).peak_macs_per_cycle(back(arch));
  }
  std::vector<FamilyCommand> commands() const override { return fixynn_commands(); }
  bool symmetric_activations(const ArchConfig& arch) const override {
    return back_family(arch).symmetric_activations(back(arch));
  }
  void check_run(const ArchConfig& arch, const Network& net, bool chained, bool one_layer) const override {
    if (!chained)
      throw InputError(
          net.source +
          ": fixynn runs chained networks only (its front end is a pipeline of the "
          "network's first layers); " +
          (net.independent_reason.empty() ? std::string("drop --independent") : net.independent_reason));
    if (one_layer) throw InputError("--layer: fixynn runs whole networks (its front end is a pipeline)");
    const size_t k = fixed_layer_count(arch, net);  // bad split points fail before anything runs
    if (k == 0 || k == net.layers.size()) return;
    const Layer& last = net.layers[k - 1];
    const double bytes = static_cast<double>(last.out_h * last.out_w * last.K);
    if (2 * bytes > fix(arch).handoff_kib * 1024)
      throw InputError(fmt::format(
          "{}: handoff.kib: {} KiB cannot double-buffer the front end's output ({} = "
          "{}x{}x{} bytes per frame, so at least {:.1f} KiB)",
          arch.source, fix(arch).handoff_kib, last.name, last.out_h, last.out_w, last.K, 2 * bytes / 1024));
  }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig& arch, const Layer& layer,
                                          const MappingOptions& opts) const override {
    return std::make_unique<BackendMapping>(back_family(arch).map_layer(back(arch), layer, opts),
                                            back(arch).clock_mhz);
  }
  std::unique_ptr<SegmentMapping> map_segment(const ArchConfig& arch, const Network& net, size_t first,
                                              const MappingOptions&) const override {
    if (first != 0) return nullptr;  // asked at every layer: only the first starts the front end
    const size_t k = fixed_layer_count(arch, net);
    if (k == 0) return nullptr;
    std::vector<const Layer*> layers;
    for (size_t i = 0; i < k; ++i) layers.push_back(&net.layers[i]);
    return std::make_unique<FixedSegment>(arch, std::move(layers));
  }
  std::unique_ptr<Hardware> build(const ArchConfig& arch, const BackendOptions& opts) const override {
    return std::make_unique<FixynnHardware>(back_family(arch).build(back(arch), opts), opts,
                                            fix(arch).fixed_clock_mhz);
  }
  std::pair<std::string, std::string> vector_unit_buffers(const ArchConfig& arch) const override {
    return back_family(arch).vector_unit_buffers(back(arch));
  }
  std::vector<PipelinePart> pipeline_parts(const ArchConfig& arch, const Network& net,
                                           const std::vector<LayerStats>& layers) const override {
    const size_t k = fixed_layer_count(arch, net);
    PipelinePart front{"fixed front end",         0, k,
                       fix(arch).fixed_clock_mhz, 0, {"fixed logic", "line buffers", "SRAM handoff"}};
    if (k > 0) front.frame_cycles = layers.at(0).family.value("frame_period_cycles", int64_t{0});
    // The back end's layers one after another (vector-unit layers at the design's clock, which is the back
    // end's: configure_fixynn checks it).
    PipelinePart rest{"programmable back end", k, layers.size() - k, back(arch).clock_mhz, 0, {"*"}};
    for (size_t i = k; i < layers.size(); ++i) rest.frame_cycles += layers[i].cycles;
    std::vector<PipelinePart> parts;
    if (front.count) parts.push_back(front);
    if (rest.count) parts.push_back(rest);
    return parts;
  }
  // The back end may be any other family: the union of their actions (names are unique across families).
  cost::ActionTable actions() const override {
    cost::ActionTable t = fixynn_actions();
    for (const std::string& f : family_names())
      if (f != name())
        for (auto& [k, v] : find_family(f)->actions()) t.emplace(k, v);
    return t;
  }
  std::vector<cost::Memory> memories(const ArchConfig& arch) const override {
    std::vector<cost::Memory> m = back_family(arch).memories(back(arch));
    m.push_back({"handoff", fix(arch).handoff_kib});
    return m;
  }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch) const override {
    return back_family(arch).area_inventory(back(arch));
  }
};

}  // namespace

NPUSIM_REGISTER_FAMILY(FixynnFamily);

}  // namespace npusim::fixynn
