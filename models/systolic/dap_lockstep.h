#pragma once
// Lockstep of the dap_unit C++ core against its Verilated RTL: both take the same inputs on every edge;
// out_valid, every out_data byte and every out_idx slot are compared after every edge and the first
// difference throws a cosim::DivergenceError. It is itself a DapUnitIf exposing the model's outputs.
// Header-only (the unit's two compiled sources are the core and the RTL adapter).
#include <string>

#include "models/systolic/dap_unit_core.h"
#include "models/systolic/dap_unit_rtl.h"
#include "sim/cosim/divergence.h"

namespace npusim::systolic {

class DapLockstep final : public DapUnitIf {
 public:
  explicit DapLockstep(const DapShape& shape, DapFault fault = DapFault::None,
                       const std::string& rtl_vcd_path = "")
      : model_(shape), rtl_(shape, fault, rtl_vcd_path) {}
  const DapShape& shape() const override { return model_.shape(); }
  const DapOutputs& outputs() const override { return model_.outputs(); }
  uint64_t cycles_compared() const { return cycle_; }

  void step(const DapInputs& in) override {
    model_.step(in);
    rtl_.step(in);
    const DapOutputs& m = model_.outputs();
    const DapOutputs& r = rtl_.outputs();
    if (m.out_valid != r.out_valid)
      throw cosim::DivergenceError({cycle_, "out_valid", 0, "dap_unit", m.out_valid, r.out_valid});
    const int bz = model_.shape().bz;
    auto where = [bz](size_t q) {
      return "lane " + std::to_string(q / bz) + " slot " + std::to_string(q % bz);
    };
    for (size_t q = 0; q < m.out_data.size(); ++q) {
      if (m.out_data[q] != r.out_data[q])
        throw cosim::DivergenceError(
            {cycle_, "out_data", static_cast<int>(q), where(q), m.out_data[q], r.out_data[q]});
      if (m.out_idx[q] != r.out_idx[q])
        throw cosim::DivergenceError(
            {cycle_, "out_idx", static_cast<int>(q), where(q), m.out_idx[q], r.out_idx[q]});
    }
    ++cycle_;
  }

 private:
  DapUnitCore model_;
  DapUnitRtl rtl_;
  uint64_t cycle_ = 0;
};

}  // namespace npusim::systolic
