#pragma once
// Which implementation of a family's blocks a run uses: the C++ cycle cores, the Verilated RTL, or both
// in lockstep (compared on every output port every cycle).
#include <string>

namespace npusim {

enum class Backend { Model, Rtl, Lockstep };
const char* to_string(Backend b);

struct BackendOptions {
  Backend backend = Backend::Model;
  std::string vcd_path;  // lockstep/rtl: port-level trace
};

}  // namespace npusim
