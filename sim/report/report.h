#pragma once
// Run reports: a per-layer table for the terminal, CSV (one row per layer plus a total row) and JSON
// (DESIGN.md §4: layers[], total, the resolved arch config and the seed).
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/driver/driver.h"

namespace npusim {

void print_table(std::ostream& os, const RunReport& rep);
nlohmann::json to_json(const RunReport& rep);
void write_json(const std::string& path, const RunReport& rep);
void write_csv(const std::string& path, const RunReport& rep);

}  // namespace npusim
