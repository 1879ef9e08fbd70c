#pragma once
// The family registry: each family registers one Family object from its own folder at static
// initialisation (NPUSIM_REGISTER_FAMILY in a translation unit that is always linked: models are an
// OBJECT library). sim/ finds families by the arch config's `family` key.
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"

namespace npusim {

class Family;

// Returns true so it can initialise a static; a second family of the same name is a bug (aborts).
bool register_family(std::unique_ptr<Family> family);
const Family* find_family(const std::string& name);
// Throws InputError naming the config if its family is not registered.
const Family& family_of(const ArchConfig& arch);
std::vector<std::string> family_names();

}  // namespace npusim

#define NPUSIM_REGISTER_FAMILY(Type) \
  [[maybe_unused]] static const bool npusim_family_registered_##Type = ::npusim::register_family(std::make_unique<Type>())
