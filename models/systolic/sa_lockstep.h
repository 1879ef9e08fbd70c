#pragma once
// Lockstep: the C++ core and the Verilated RTL take the same inputs on every edge; every output port
// lane is compared after every edge and the first difference throws a DivergenceError. It is itself an
// SaArrayIf (it exposes the model's outputs), so the accelerator runs unchanged on top of it.
#include <memory>
#include <string>

#include "models/systolic/sa_array_core.h"
#include "models/systolic/sa_array_rtl.h"
#include "sim/cosim/divergence.h"
#include "sim/cosim/vcd_writer.h"

namespace npusim::systolic {

class SaLockstep final : public SaArrayIf {
 public:
  // `vcd_path`: port-level VCD of both sides (plus `<vcd_path>.rtl.vcd` with the RTL's internals).
  SaLockstep(const SaShape& shape, SaFault fault = SaFault::None, const std::string& vcd_path = "");
  const SaShape& shape() const override { return model_.shape(); }
  void step(const SaInputs& in) override;
  const SaOutputs& outputs() const override { return model_.outputs(); }
  std::string locate(int lane, bool data_lane) const override { return model_.locate(lane, data_lane); }
  uint64_t cycles_compared() const { return cycle_; }

 private:
  void trace(const SaInputs& in);
  SaArrayCore model_;
  SaArrayRtl rtl_;
  uint64_t cycle_ = 0;
  std::unique_ptr<cosim::VcdWriter> vcd_;
  struct Ids {
    int rst, in_valid, in_first, in_last, w_wr, w_row;
    std::vector<int> a_in, a_mask, w_in, w_idx, w_mask, out_valid[2], out_data[2];
  } ids_{};
};

}  // namespace npusim::systolic
