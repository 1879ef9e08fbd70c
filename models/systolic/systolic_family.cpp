// The systolic family (SA, STA, STA-DBB, VDBB, S2TA) as the framework sees it: config section,
// layer mapping, hardware, cost model inputs. Registered at static initialisation.
#include <fmt/format.h>

#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_array_block.h"
#include "sim/cosim/rtl_block.h"
#include "models/systolic/sa_cost.h"
#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_mapping.h"
#include "models/systolic/systolic_config.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim::systolic {

namespace {

class SystolicFamily final : public Family {
 public:
  std::string name() const override { return "systolic"; }
  std::string description() const override {
    return "systolic (tensor) arrays: SA, STA, STA-DBB, VDBB, S2TA, with hardware IM2COL and DAP units";
  }
  std::vector<ParamSpec> params() const override { return systolic_params(); }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& values) const override {
    return configure_systolic(values);
  }
  std::string summary(const ArchConfig& arch) const override {
    const SystolicConfig& s = sys(arch);
    std::string r = fmt::format("{}x{} {}", s.rows, s.cols, to_string(s.dataflow));
    if (s.tpe_a * s.tpe_b * s.tpe_c > 1) r += fmt::format(", tpe {}x{}x{}", s.tpe_a, s.tpe_b, s.tpe_c);
    if (s.weights.mode != "dense") r += fmt::format(", {} weights {}/{}", s.weights.mode, s.weights.nnz, s.weights.block);
    if (s.activations.mode != "dense") r += ", " + s.activations.mode + " activations";
    if (s.im2col == "hardware") r += ", hardware im2col";
    return r;
  }
  int64_t peak_macs_per_cycle(const ArchConfig& arch) const override {
    const SaShape s = sa_shape(arch);
    return int64_t{s.rows} * s.cols * s.a * s.c * s.mults();
  }
  bool symmetric_activations(const ArchConfig& arch) const override {
    // DAP prunes by magnitude, so the code 0 must be the real zero.
    return sys(arch).activations.mode == "dap";
  }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig& arch, const Layer& layer,
                                          const MappingOptions& opts) const override {
    return std::make_unique<SaLayerMapping>(arch, layer, opts);
  }
  std::unique_ptr<Hardware> build(const ArchConfig& arch, const BackendOptions& opts) const override {
    return make_sa(arch, opts);
  }
  cost::ActionTable actions() const override { return sa_actions(); }
  std::vector<cost::Memory> memories(const ArchConfig& arch) const override {
    const SystolicConfig& s = sys(arch);
    return {{"act", static_cast<double>(s.act_kib)},
            {"wgt", static_cast<double>(s.wgt_kib)},
            {"out", static_cast<double>(s.out_kib)}};
  }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch) const override {
    return sa_inventory(arch);
  }
  std::optional<cost::SynthSpec> synth_spec(const ArchConfig& arch) const override {
    // The sa_array RTL with the configuration's parameters (the array core only: no SRAM, DAP or IM2COL).
    const cosim::RtlBuildSpec r = cosim::rtl_block_spec<SaArrayBlock>(sa_shape(arch));
    cost::SynthSpec s;
    s.top = r.top;
    s.sources = r.sources;
    for (const auto& [k, v] : r.params) s.params.emplace_back(k, v);
    return s;
  }
  std::vector<std::string> synth_categories() const override {
    return {"multipliers", "accumulators", "adder trees", "operand registers", "output registers",
            "muxes and index logic"};
  }
};

}  // namespace

NPUSIM_REGISTER_FAMILY(SystolicFamily);

}  // namespace npusim::systolic
