#pragma once
// Resolved architecture configuration (DESIGN.md §4): the common keys every family has, plus the
// family's own section, declared and validated by the family (sim/family/family.h) and kept here as
// its typed config. Loaded from YAML with --set overrides applied before validation; unknown keys and
// impossible values are InputErrors naming the file and key.
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/config/params.h"

namespace npusim {

// A family's typed configuration (models/<family>/): created by the family from the validated values.
class FamilyConfig {
 public:
  virtual ~FamilyConfig() = default;
};

struct ArchConfig {
  std::string name;
  std::string family;  // a registered family (npusim list)
  double clock_mhz = 1000.0;
  std::string tech = "16nm";  // configs/tech/<tech>.yaml
  double dram_bytes_per_cycle = 32.0;
  int act_bits = 8, wgt_bits = 8, acc_bits = 32;
  int vector_lanes = 16;  // vector/post-processing unit next to the accelerator (pool, add, gate math)
  std::string source;     // file it was read from
  ParamValues values;     // every declared key (common and family), defaults and derived values resolved
  std::shared_ptr<const FamilyConfig> family_config;

  template <class T>
  const T& family_as() const {
    const T* c = dynamic_cast<const T*>(family_config.get());
    if (!c) throw std::logic_error("arch config '" + name + "' has no " + family + " section");
    return *c;
  }
  // Fully resolved config as JSON (every key, defaults included), nested like the YAML; loads back.
  nlohmann::json to_json() const { return values.to_json(); }
};

}  // namespace npusim
