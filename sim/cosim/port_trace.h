#pragma once
// Port-level VCD of both lockstep sides, declared from the block's port lists: the inputs once (scope
// "inputs"), the outputs of each side (scopes "model" and "rtl"), one signal per lane (name_i for a
// per-lane port). Inputs change at cycle*10, the edge samples them at cycle*10 + 5.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cosim/port_list.h"
#include "sim/cosim/vcd_writer.h"

namespace npusim::cosim {

class PortTrace {
 public:
  PortTrace(const std::string& path, const std::vector<Port>& inputs, const std::vector<Port>& outputs);
  // Lane values as PortList::pack lays them out.
  void dump(uint64_t cycle, const uint32_t* in, const uint32_t* model_out, const uint32_t* rtl_out);

 private:
  std::vector<int> declare(const std::string& scope, const std::vector<Port>& ports);
  VcdWriter vcd_;
  std::vector<int> in_ids_, out_ids_[2];
};

}  // namespace npusim::cosim
