#pragma once
// The run seed as given on a command line, parsed strictly: CLI11 alone wraps "-1" to 2^64-1 without a word.
#include <charconv>
#include <cstdint>
#include <string>

#include "sim/common/error.h"

namespace npusim {

// 0 .. 2^64-1, decimal digits only; InputError naming --seed otherwise.
inline uint64_t parse_seed(const std::string& s) {
  uint64_t v = 0;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end)
    throw InputError("--seed: expected an integer from 0 to 18446744073709551615, got '" + s + "'");
  return v;
}

}  // namespace npusim
