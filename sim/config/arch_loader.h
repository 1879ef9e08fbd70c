#pragma once
// Architecture config loading (DESIGN.md §4).
//
// Common keys (declared in arch_loader.cpp; every family has them):
//   name: str (required)        family: a registered family (required)     clock_mhz: number > 0 (MHz)
//   tech: str (configs/tech/<tech>.yaml)     dram: {bytes_per_cycle: number > 0}
//   precision: {act_bits, wgt_bits: 2..8, acc_bits: 16..32}    vector: {lanes: int >= 1}
// Every other key belongs to the family's section, declared by the family (ParamSpec) and validated
// by it: `npusim list` prints each family's keys with defaults, units and descriptions.
//
// Overrides ("dotted.key=value", e.g. "array.rows=32") are applied to the YAML tree before validation;
// the value is parsed as YAML. All errors are one-line InputErrors naming the file (with the line when
// known) and the dotted key, or the --set option.
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/params.h"

namespace npusim {

ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides = {});

// The common keys' declarations.
const std::vector<ParamSpec>& common_params();

}  // namespace npusim
