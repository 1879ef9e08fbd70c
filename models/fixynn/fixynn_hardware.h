#pragma once
// The elaborated hardware of a FixyNN run: the programmable back end (built by its own family, on the same
// backend choice) and the fixed-weight front end, whose stages exist only once a workload's weights are
// known (each frame job carries its FixedNet).
#include <memory>

#include "models/fixynn/fixed_net.h"
#include "models/fixynn/frame_driver.h"
#include "sim/family/family.h"

namespace npusim::fixynn {

class FixynnHardware : public Hardware {
 public:
  FixynnHardware(std::unique_ptr<Hardware> backend, const BackendOptions& opts, double fixed_clock_mhz);
  ~FixynnHardware() override;
  Hardware& backend() { return *backend_; }
  // Two frames of `input` through the front end of `net` on the run's backend (model, RTL or lockstep).
  FrameResult run_front(const FixedNet& net, const TensorI8& input);
  std::string lockstep_blocks() const override;
  uint64_t lockstep_cycles() const override;

 private:
  struct Front;
  std::unique_ptr<Hardware> backend_;
  std::unique_ptr<Front> front_;
};

}  // namespace npusim::fixynn
