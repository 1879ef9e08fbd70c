#include "models/cim/error_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace npusim::cim {

void ErrorStats::add(const std::vector<int8_t>& out, const std::vector<int8_t>& reference,
                     int32_t zero_point) {
  const size_t n = std::min(out.size(), reference.size());
  for (size_t i = 0; i < n; ++i) {
    const int64_t s = int64_t{reference[i]} - zero_point, e = int64_t{out[i]} - reference[i];
    signal_sq += static_cast<double>(s * s);
    error_sq += static_cast<double>(e * e);
    abs_error += static_cast<double>(std::llabs(e));
    max_abs_error = std::max<int64_t>(max_abs_error, std::llabs(e));
    changed += e != 0;
  }
  count += static_cast<int64_t>(n);
}

void ErrorStats::add(const ErrorStats& o) {
  count += o.count;
  changed += o.changed;
  signal_sq += o.signal_sq;
  error_sq += o.error_sq;
  abs_error += o.abs_error;
  max_abs_error = std::max(max_abs_error, o.max_abs_error);
}

double ErrorStats::snr_db() const {
  if (error_sq == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(std::max(signal_sq, 1e-300) / error_sq);
}

nlohmann::json ErrorStats::to_json() const {
  nlohmann::json j;
  j["snr_db"] = error_sq == 0 ? nlohmann::json(nullptr) : nlohmann::json(snr_db());
  j["mean_abs_error_lsb"] = count ? abs_error / static_cast<double>(count) : 0.0;
  j["max_abs_error_lsb"] = max_abs_error;
  j["share_changed"] = count ? static_cast<double>(changed) / static_cast<double>(count) : 0.0;
  j["outputs"] = count;
  return j;
}

int64_t arg_max(const std::vector<int8_t>& v) {
  return v.empty() ? -1 : static_cast<int64_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace npusim::cim
