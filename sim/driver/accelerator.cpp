#include "sim/driver/accelerator.h"

#include <map>

#include "sim/common/error.h"

namespace npusim {

const char* to_string(Backend b) {
  switch (b) {
    case Backend::Model:
      return "model";
    case Backend::Rtl:
      return "rtl";
    case Backend::Lockstep:
      return "lockstep";
  }
  return "?";
}

namespace {
struct Family {
  AcceleratorFactory make;
  FastEstimator estimate;
  PeakMacs peak;
  AreaInventory inventory;
  SynthSpecFn synth_spec;
};
std::map<std::string, Family>& registry() {
  static std::map<std::string, Family> r;
  return r;
}
const Family& family_of(const ArchConfig& arch) {
  auto it = registry().find(arch.family);
  if (it == registry().end()) throw InputError(arch.source + ": family: '" + arch.family + "' has no model");
  return it->second;
}
}  // namespace

void register_family(const std::string& family, AcceleratorFactory factory, FastEstimator estimator,
                     PeakMacs peak, AreaInventory inventory, SynthSpecFn synth_spec) {
  registry()[family] = {std::move(factory), std::move(estimator), std::move(peak), std::move(inventory),
                        std::move(synth_spec)};
}

cost::SynthSpec synth_spec(const ArchConfig& arch) {
  return family_of(arch).synth_spec(arch);
}

std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch) {
  return family_of(arch).inventory(arch);
}

int64_t physical_macs_per_cycle(const ArchConfig& arch) {
  return family_of(arch).peak(arch);
}

std::unique_ptr<Accelerator> create_accelerator(const ArchConfig& arch, const BackendOptions& opts) {
  return family_of(arch).make(arch, opts);
}

LayerStats fast_estimate(const ArchConfig& arch, const ArrayJob& job) {
  return family_of(arch).estimate(arch, job);
}

std::vector<std::string> registered_families() {
  std::vector<std::string> v;
  for (const auto& kv : registry()) v.push_back(kv.first);
  return v;
}

}  // namespace npusim
