#pragma once
// Text layer of the workload loaders (npusim CSV and SCALE-Sim topologies): the file's data lines with
// their numbers, CSV fields, and one-line errors naming the file and line.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/workload/layer.h"

namespace npusim::workload_csv {

constexpr int64_t kMaxValue = (int64_t{1} << 31) - 1;  // upper bound of any integer column
constexpr long double kMaxMacs = 9.0e18L;              // keeps Layer::macs() inside int64_t

struct SourceLine {
  int number = 0;
  std::string text;
};

std::string lower_nospace(std::string_view s);
[[noreturn]] void fail(const std::string& path, int line, const std::string& msg);
std::string int_expectation(int64_t lo, int64_t hi);
// Non-blank, non-comment lines of the file with their 1-based line numbers. Sets *total_lines.
std::vector<SourceLine> read_lines(const std::string& path, int* total_lines);
// Splits one CSV line. Unquoted fields are trimmed; a field may be double-quoted ("" escapes a quote).
std::vector<std::string> split_csv(const std::string& path, const SourceLine& line);
// A second layer of the same name is an error naming both lines.
void check_unique(std::map<std::string, int>& seen, const Layer& L, const std::string& path, int line);

}  // namespace npusim::workload_csv
