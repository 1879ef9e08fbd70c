// The cim family (DESIGN.md §8, docs/cim.md) as the framework sees it: AON-CiM's analog PCM tiles holding
// every layer's weights, run layer-serially through one layer engine (PWM DACs, the crossbars' analog dot
// products, fixed-gain ADCs, digital periphery).
#include <fmt/format.h>

#include "models/cim/cim_config.h"
#include "models/cim/cim_cost.h"
#include "models/cim/cim_hardware.h"
#include "models/cim/cim_layer_mapping.h"
#include "models/cim/cim_mapping.h"
#include "sim/common/error.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim::cim {
namespace {

class CimFamily final : public Family {
 public:
  std::string name() const override { return "cim"; }
  std::string description() const override {
    return "AON-CiM: analog PCM compute-in-memory tiles (all weights resident), layer-serial, with PWM "
           "DACs, fixed-gain ADCs, programming/drift/read noise and drift compensation";
  }
  std::vector<ParamSpec> params() const override { return cim_params(); }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& values) const override {
    return configure_cim(values);
  }
  std::string summary(const ArchConfig& arch) const override {
    const CimConfig& c = cim(arch);
    const std::string noise =
        c.ideal ? "ideal (check-list A1)"
        : (!c.noise_programming && !c.noise_drift && !c.noise_read)
            ? "noise off"
            : fmt::format("noise {}{}{}, t = {:g} s, drift compensation {}", c.noise_programming ? "P" : "-",
                          c.noise_drift ? "D" : "-", c.noise_read ? "R" : "-", c.t_inference_s,
                          c.drift_compensation ? "on" : "off");
    return fmt::format("{} tiles of {}x{} PCM pairs, DAC {} b ({} slots), ADC {} b (bound {:g}), {}, seed {}",
                       c.tiles, c.tile_rows, c.tile_cols, c.dac_bits, c.pwm_slots(), c.adc_bits,
                       c.adc_out_bound, noise, c.seed);
  }
  // Every tile finishing one full MVM per PWM window.
  int64_t peak_macs_per_cycle(const ArchConfig& arch) const override {
    const CimConfig& c = cim(arch);
    return std::max<int64_t>(1, c.tiles * c.tile_rows * c.tile_cols / c.pwm_slots());
  }
  void check_run(const ArchConfig& arch, const Network& net, bool, bool) const override {
    (void)map_network(cim(arch), net);  // tiles and SRAM budget, unmappable layers: one-line errors
  }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig& arch, const Layer& layer,
                                          const MappingOptions& opts) const override {
    if (opts.w_nnz > 0 || opts.a_nnz > 0)
      throw InputError(
          "--w-nnz/--a-nnz: the cim family has no structured sparsity (its weights are "
          "conductances, every input row is driven)");
    return std::make_unique<CimLayerMapping>(arch, layer);
  }
  std::unique_ptr<Hardware> build(const ArchConfig& arch, const BackendOptions& opts) const override {
    return std::make_unique<CimHardware>(arch, opts);
  }
  std::pair<std::string, std::string> vector_unit_buffers(const ArchConfig&) const override {
    return {"act", "act"};
  }
  cost::ActionTable actions() const override { return cim_actions(); }
  std::vector<cost::Memory> memories(const ArchConfig& arch) const override {
    return cim_memories(cim(arch));
  }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch) const override {
    return cim_area_inventory(cim(arch));
  }
};

}  // namespace

NPUSIM_REGISTER_FAMILY(CimFamily);

}  // namespace npusim::cim
