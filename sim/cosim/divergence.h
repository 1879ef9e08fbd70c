#pragma once
// First difference between the golden model and the RTL on an output port, as the lockstep harness
// reports it.
#include <cstdint>
#include <sstream>
#include <string>

#include "sim/common/error.h"

namespace npusim::cosim {

struct Divergence {
  uint64_t cycle = 0;      // edge index (0-based) after which the outputs differ
  std::string port;        // e.g. "out_data"
  int lane = 0;            // column / lane of a vector port
  std::string where;       // e.g. "PE(3,5)"
  int64_t expected = 0;    // model
  int64_t actual = 0;      // RTL
  uint32_t reset_seed = 0; // the RTL's power-up values (0 = all zeros), to reproduce the run

  std::string message() const {
    std::ostringstream s;
    s << "lockstep divergence at cycle " << cycle << ": port " << port << "[" << lane << "] (" << where
      << "): expected " << expected << " (model), actual " << actual << " (RTL)"
      << " [RTL power-up seed " << reset_seed << "]";  // reproduce with NPUSIM_RTL_SEED
    return s.str();
  }
};

class DivergenceError : public VerificationError {
 public:
  explicit DivergenceError(const Divergence& d) : VerificationError(d.message()), divergence(d) {}
  Divergence divergence;
};

}  // namespace npusim::cosim
