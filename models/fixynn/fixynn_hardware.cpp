#include "models/fixynn/fixynn_hardware.h"

#include "models/fixynn/fixed_pipeline_core.h"

namespace npusim::fixynn {

// Placeholder until the SystemC front end lands: the C++ cycle core.
struct FixynnHardware::Front {
  BackendOptions opts;
  double clock_mhz = 0;
};

FixynnHardware::FixynnHardware(std::unique_ptr<Hardware> backend, const BackendOptions& opts,
                               double fixed_clock_mhz)
    : backend_(std::move(backend)), front_(std::make_unique<Front>(Front{opts, fixed_clock_mhz})) {}

FixynnHardware::~FixynnHardware() = default;

FrameResult FixynnHardware::run_front(const FixedNet& net, const TensorI8& input) {
  FixedPipelineCore core(net);
  int64_t pixels = 0;
  for (const auto& s : net.stages) pixels += s.H * s.W + s.OH * s.OW;
  return run_frame(core, input, 8 * pixels + 10000);
}

std::string FixynnHardware::lockstep_blocks() const {
  return backend_->lockstep_blocks();
}
uint64_t FixynnHardware::lockstep_cycles() const {
  return backend_->lockstep_cycles();
}

}  // namespace npusim::fixynn
