#pragma once
// The programmable back end of a FixyNN design: layers after the fixed front end run on another family's
// design (backend.arch), through that family's own mapping, on its own elaborated hardware inside the
// FixyNN hardware. The wrapper hands the inner hardware to the inner mapping.
#include <memory>

#include "sim/family/family.h"

namespace npusim::fixynn {

// The run's hardware: the back end's (built by its family) and, once built, the fixed pipeline's.
class FixynnHardware : public Hardware {
 public:
  explicit FixynnHardware(std::unique_ptr<Hardware> backend) : backend_(std::move(backend)) {}
  Hardware& backend() { return *backend_; }
  std::string lockstep_blocks() const override { return backend_ ? backend_->lockstep_blocks() : ""; }
  uint64_t lockstep_cycles() const override { return backend_ ? backend_->lockstep_cycles() : 0; }

 private:
  std::unique_ptr<Hardware> backend_;
};

class BackendMapping final : public LayerMapping {
 public:
  explicit BackendMapping(std::unique_ptr<LayerMapping> inner) : inner_(std::move(inner)) {}
  void prepare_weights(TensorI8& w) const override { inner_->prepare_weights(w); }
  TensorI8 hardware_input(const TensorI8& in) const override { return inner_->hardware_input(in); }
  bool transforms_input() const override { return inner_->transforms_input(); }
  int64_t working_bytes() const override { return inner_->working_bytes(); }
  LayerOutcome estimate(const LayerOperands& ops) const override { return inner_->estimate(ops); }
  LayerOutcome simulate(Hardware& hw, const LayerOperands& ops) const override {
    return inner_->simulate(static_cast<FixynnHardware&>(hw).backend(), ops);
  }

 private:
  std::unique_ptr<LayerMapping> inner_;
};

}  // namespace npusim::fixynn
