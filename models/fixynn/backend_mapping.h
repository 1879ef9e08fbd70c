#pragma once
// The programmable back end of a FixyNN design: layers after the fixed front end run on another family's
// design (backend.arch), through that family's own mapping, on its own elaborated hardware inside the
// FixyNN hardware. The wrapper hands the inner hardware to the inner mapping.
#include <memory>

#include "models/fixynn/fixynn_hardware.h"
#include "sim/family/family.h"

namespace npusim::fixynn {

class BackendMapping final : public LayerMapping {
 public:
  BackendMapping(std::unique_ptr<LayerMapping> inner, double clock_mhz)
      : inner_(std::move(inner)), clock_mhz_(clock_mhz) {}
  void prepare_weights(TensorI8& w) const override { inner_->prepare_weights(w); }
  TensorI8 hardware_input(const TensorI8& in) const override { return inner_->hardware_input(in); }
  bool transforms_input() const override { return inner_->transforms_input(); }
  int64_t working_bytes() const override { return inner_->working_bytes(); }
  LayerOutcome estimate(const LayerOperands& ops) const override { return on_clock(inner_->estimate(ops)); }
  LayerOutcome simulate(Hardware& hw, const LayerOperands& ops) const override {
    return on_clock(inner_->simulate(static_cast<FixynnHardware&>(hw).backend(), ops));
  }

 private:
  LayerOutcome on_clock(LayerOutcome o) const {
    o.stats.clock_mhz = clock_mhz_;
    return o;
  }
  std::unique_ptr<LayerMapping> inner_;
  double clock_mhz_;
};

}  // namespace npusim::fixynn
