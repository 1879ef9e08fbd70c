#pragma once
// The cim family is not registered yet (no cycle model): this test executable registers a stub under the
// name `cim` whose config section is the real one (cim_params / configure_cim), so the config tests go
// through the generic loader (file:line and key in every error). Nothing else of the stub is used.
#include "models/cim/cim_config.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim::cim::testing {

class StubCimFamily : public Family {
 public:
  std::string name() const override { return "cim"; }
  std::string description() const override { return "test stub: config section only"; }
  std::vector<ParamSpec> params() const override { return cim_params(); }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& v) const override { return configure_cim(v); }
  std::string summary(const ArchConfig&) const override { return ""; }
  int64_t peak_macs_per_cycle(const ArchConfig&) const override { return 0; }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig&, const Layer&,
                                          const MappingOptions&) const override {
    return nullptr;
  }
  std::unique_ptr<Hardware> build(const ArchConfig&, const BackendOptions&) const override { return nullptr; }
  cost::ActionTable actions() const override { return {}; }
  std::vector<cost::Memory> memories(const ArchConfig&) const override { return {}; }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig&) const override { return {}; }
};

}  // namespace npusim::cim::testing
