#pragma once
// Which implementation of a family's blocks a run uses: the C++ cycle cores, the Verilated RTL, or both
// in lockstep (compared on every output port every cycle).
#include <string>

namespace npusim {

struct Network;

enum class Backend { Model, Rtl, Lockstep };
const char* to_string(Backend b);

struct BackendOptions {
  Backend backend = Backend::Model;
  std::string vcd_path;  // lockstep/rtl: port-level trace
  // The run's network (set by the executor before Family::build): for hardware whose size depends on the
  // workload (e.g. blocks sized for its widest layer).
  const Network* network = nullptr;
};

}  // namespace npusim
