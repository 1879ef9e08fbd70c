// The three families' config sections (keys and cross-key validation) registered without their models, so
// the arch and sweep-spec fuzz targets link no SystemC: load_arch needs only params() and configure().
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "models/cim/cim_config.h"
#include "models/fixynn/fixynn_config.h"
#include "models/systolic/systolic_config.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim::fuzz {

namespace {

using ParamsFn = std::vector<ParamSpec> (*)();
using ConfigureFn = std::shared_ptr<const FamilyConfig> (*)(ParamValues&);

class ConfigOnlyFamily final : public Family {
 public:
  ConfigOnlyFamily(std::string name, ParamsFn params, ConfigureFn configure)
      : name_(std::move(name)), params_(params), configure_(configure) {}
  std::string name() const override { return name_; }
  std::string description() const override { return name_ + " (config section only, for fuzzing)"; }
  std::vector<ParamSpec> params() const override { return params_(); }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& values) const override {
    return configure_(values);
  }
  // Nothing below is reached by the readers.
  std::string summary(const ArchConfig&) const override { std::abort(); }
  int64_t peak_macs_per_cycle(const ArchConfig&) const override { std::abort(); }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig&, const Layer&,
                                          const MappingOptions&) const override {
    std::abort();
  }
  std::unique_ptr<Hardware> build(const ArchConfig&, const BackendOptions&) const override { std::abort(); }
  cost::ActionTable actions() const override { std::abort(); }
  std::vector<cost::Memory> memories(const ArchConfig&) const override { std::abort(); }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig&) const override { std::abort(); }

 private:
  std::string name_;
  ParamsFn params_;
  ConfigureFn configure_;
};

[[maybe_unused]] const bool registered = [] {
  using Out = std::shared_ptr<const FamilyConfig>;
  register_family(std::make_unique<ConfigOnlyFamily>(
      "systolic", &systolic_params, [](ParamValues& v) -> Out { return configure_systolic(v); }));
  register_family(std::make_unique<ConfigOnlyFamily>(
      "cim", &cim::cim_params, [](ParamValues& v) -> Out { return cim::configure_cim(v); }));
  register_family(std::make_unique<ConfigOnlyFamily>(
      "fixynn", &fixynn::fixynn_params, [](ParamValues& v) -> Out { return fixynn::configure_fixynn(v); }));
  return true;
}();

}  // namespace

}  // namespace npusim::fuzz
