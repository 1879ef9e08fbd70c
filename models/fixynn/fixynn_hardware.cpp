#include "models/fixynn/fixynn_hardware.h"

#include "models/fixynn/fixynn_front.h"

namespace npusim::fixynn {

// The SystemC front end, elaborated with the back end before the first sc_start.
struct FixynnHardware::Front {
  FixynnFront module;
  Front(const BackendOptions& opts, double clock_mhz) : module("fixynn_front", clock_mhz, opts) {}
};

FixynnHardware::FixynnHardware(std::unique_ptr<Hardware> backend, const BackendOptions& opts,
                               double fixed_clock_mhz)
    : backend_(std::move(backend)), front_(std::make_unique<Front>(opts, fixed_clock_mhz)) {}

FixynnHardware::~FixynnHardware() = default;

FrameResult FixynnHardware::run_front(const FixedNet& net, const TensorI8& input) {
  return front_->module.run(net, input);
}

std::string FixynnHardware::lockstep_blocks() const {
  const std::string front = front_->module.lockstep_blocks(), back = backend_->lockstep_blocks();
  if (front.empty() || back.empty()) return front + back;
  return front + " and " + back;
}

uint64_t FixynnHardware::lockstep_cycles() const {
  return front_->module.lockstep_cycles() + backend_->lockstep_cycles();
}

}  // namespace npusim::fixynn
