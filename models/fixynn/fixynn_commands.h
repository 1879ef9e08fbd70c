#pragma once
// FixyNN's CLI commands (Family::commands): `npusim fixynn generate --arch A --workload W [--out DIR]
// [--seed N]` writes the fixed front end's RTL and manifest for a workload's weights.
#include <vector>

#include "sim/family/family.h"

namespace npusim::fixynn {

std::vector<FamilyCommand> fixynn_commands();

}  // namespace npusim::fixynn
