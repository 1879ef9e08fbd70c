#pragma once
// How far a noisy cim output is from the design's noise-free output (issue 13 point 4): SNR in dB over the
// dequantized values (signal: the noise-free output minus the zero point), mean and largest |error| in
// LSB, share of outputs that changed; and arg-max agreement for classifiers.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace npusim::cim {

struct ErrorStats {
  int64_t count = 0, changed = 0;
  double signal_sq = 0, error_sq = 0, abs_error = 0;
  int64_t max_abs_error = 0;
  void add(const std::vector<int8_t>& out, const std::vector<int8_t>& reference, int32_t zero_point);
  void add(const ErrorStats& o);
  // SNR in dB; +infinity when nothing changed.
  double snr_db() const;
  // {"snr_db" (null when no output changed), "mean_abs_error_lsb", "max_abs_error_lsb", "share_changed"}.
  nlohmann::json to_json() const;
};

// Index of the largest element (the first on ties), as a classifier's top-1.
int64_t arg_max(const std::vector<int8_t>& v);

}  // namespace npusim::cim
