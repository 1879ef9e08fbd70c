#include "sim/family/registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "sim/common/error.h"
#include "sim/family/family.h"

namespace npusim {

namespace {
std::map<std::string, std::unique_ptr<Family>>& registry() {
  static std::map<std::string, std::unique_ptr<Family>> r;
  return r;
}
}  // namespace

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

bool register_family(std::unique_ptr<Family> family) {
  const std::string name = family->name();
  if (!registry().emplace(name, std::move(family)).second) {
    std::fprintf(stderr, "npusim: family '%s' registered twice\n", name.c_str());
    std::abort();
  }
  return true;
}

const Family* find_family(const std::string& name) {
  const auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second.get();
}

const Family& family_of(const ArchConfig& arch) {
  const Family* f = find_family(arch.family);
  if (!f) throw InputError(arch.source + ": family: '" + arch.family + "' is not registered");
  return *f;
}

std::vector<std::string> family_names() {
  std::vector<std::string> v;
  for (const auto& kv : registry()) v.push_back(kv.first);
  return v;
}

}  // namespace npusim
