#include "sim/cosim/port_trace.h"

namespace npusim::cosim {

PortTrace::PortTrace(const std::string& path, const std::vector<Port>& inputs, const std::vector<Port>& outputs)
    : vcd_(path) {
  in_ids_ = declare("inputs", inputs);
  out_ids_[0] = declare("model", outputs);
  out_ids_[1] = declare("rtl", outputs);
}

std::vector<int> PortTrace::declare(const std::string& scope, const std::vector<Port>& ports) {
  std::vector<int> ids;
  for (const Port& p : ports)
    for (int i = 0; i < p.lanes; ++i)
      ids.push_back(vcd_.add(scope, p.vector ? p.name + "_" + std::to_string(i) : p.name, p.width));
  return ids;
}

void PortTrace::dump(uint64_t cycle, const uint32_t* in, const uint32_t* model_out, const uint32_t* rtl_out) {
  vcd_.set_time(cycle * 10);
  for (size_t k = 0; k < in_ids_.size(); ++k) vcd_.set(in_ids_[k], in[k]);
  vcd_.set_time(cycle * 10 + 5);
  const uint32_t* outs[2] = {model_out, rtl_out};
  for (int s = 0; s < 2; ++s)
    for (size_t k = 0; k < out_ids_[s].size(); ++k) vcd_.set(out_ids_[s][k], outs[s][k]);
}

}  // namespace npusim::cosim
