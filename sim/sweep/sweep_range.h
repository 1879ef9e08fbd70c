#pragma once
// A range axis of a sweep spec: {from, to, step} (arithmetic) or {from, to, factor} (geometric), both
// ends inclusive. Integers stay integers when every bound is one; other values print with 12 digits.
#include <string>
#include <vector>

namespace npusim {

struct RangeSpec {
  static constexpr size_t kMaxValues = 1000000;
  bool has_from = false, has_to = false, has_step = false, has_factor = false;
  double from = 0, to = 0, step = 0, factor = 0;
  bool integral = true;  // every given bound is an integer

  void set(const std::string& key, double v, const std::string& text);
  // "" if the range is usable, else why not (missing bound, step 0, from > to, factor <= 1, ...).
  std::string check() const;
  std::vector<std::string> values() const;  // after check() == ""
};

}  // namespace npusim
