#pragma once
// Lockstep of the im2col_unit C++ core against its Verilated RTL: both take the same inputs on every
// edge; out_valid and every out_data byte lane are compared after every edge and the first difference
// throws a cosim::DivergenceError. It is itself an Im2colUnitIf exposing the model's outputs.
// Header-only (the unit's two compiled sources are the core and the RTL adapter).
#include <string>

#include "models/systolic/im2col_unit_core.h"
#include "models/systolic/im2col_unit_rtl.h"
#include "sim/cosim/divergence.h"

namespace npusim::systolic {

class Im2colLockstep final : public Im2colUnitIf {
 public:
  explicit Im2colLockstep(const Im2colShape& shape, Im2colFault fault = Im2colFault::None,
                          const std::string& rtl_vcd_path = "")
      : model_(shape), rtl_(shape, fault, rtl_vcd_path) {}
  const Im2colShape& shape() const override { return model_.shape(); }
  const Im2colOutputs& outputs() const override { return model_.outputs(); }
  uint64_t cycles_compared() const { return cycle_; }

  void step(const Im2colInputs& in) override {
    model_.step(in);
    rtl_.step(in);
    const Im2colOutputs& m = model_.outputs();
    const Im2colOutputs& r = rtl_.outputs();
    if (m.out_valid != r.out_valid)
      throw cosim::DivergenceError({cycle_, "out_valid", 0, "im2col_unit", m.out_valid, r.out_valid});
    const int b = model_.shape().b;
    for (size_t q = 0; q < m.out_data.size(); ++q) {
      if (m.out_data[q] != r.out_data[q]) {
        const int lane = static_cast<int>(q) / b, ch = static_cast<int>(q) % b;
        throw cosim::DivergenceError({cycle_, "out_data", static_cast<int>(q),
                                      "lane " + std::to_string(lane) + " channel " + std::to_string(ch),
                                      m.out_data[q], r.out_data[q]});
      }
    }
    ++cycle_;
  }

 private:
  Im2colUnitCore model_;
  Im2colUnitRtl rtl_;
  uint64_t cycle_ = 0;
};

}  // namespace npusim::systolic
