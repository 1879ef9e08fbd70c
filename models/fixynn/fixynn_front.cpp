#include "models/fixynn/fixynn_front.h"

#include <stdexcept>

#include "models/fixynn/fixynn_front_block.h"
#include "sim/common/error.h"
#include "sim/cosim/make_block.h"

namespace npusim::fixynn {

FixynnFront::FixynnFront(sc_core::sc_module_name name, double clock_mhz, const BackendOptions& opts)
    : sc_core::sc_module(name), opts_(opts) {
  if (!(clock_mhz > 0)) throw InputError("fixynn: the fixed front end's clock must be > 0 MHz");
  jobs_ = std::make_unique<JobThread>("jobs", sc_core::sc_time(1e3 / clock_mhz, sc_core::SC_NS));
}

FixynnFront::~FixynnFront() = default;

uint64_t FixynnFront::lockstep_cycles() const {
  return retired_lockstep_cycles_ + cosim::cycles_compared<FixynnFrontBlock>(block_.get());
}

void FixynnFront::ensure_block(const FixedNet& net) {
  if (block_ && block_->shape().net == net) return;
  retired_lockstep_cycles_ += cosim::cycles_compared<FixynnFrontBlock>(block_.get());
  block_.reset();
  FrontShape shape;
  shape.net = net;
  block_ = cosim::make_block<FixynnFrontBlock>(opts_.backend, shape, opts_.vcd_path);
}

FrameResult FixynnFront::run(const FixedNet& net, const TensorI8& input) {
  FrameResult result;
  jobs_->run(
      [&] {
        ensure_block(net);
        result = run_frame(*block_, input, frame_cycle_limit(net));
        return result.total_cycles + 1;  // + the reset edge
      },
      "fixynn front end");
  return result;
}

}  // namespace npusim::fixynn
