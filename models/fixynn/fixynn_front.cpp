#include "models/fixynn/fixynn_front.h"

#include <stdexcept>

#include "models/fixynn/fixynn_front_block.h"
#include "sim/common/error.h"
#include "sim/cosim/make_block.h"

namespace npusim::fixynn {

FixynnFront::FixynnFront(sc_core::sc_module_name name, double clock_mhz, const BackendOptions& opts)
    : sc_core::sc_module(name), opts_(opts) {
  if (!(clock_mhz > 0)) throw InputError("fixynn: the fixed front end's clock must be > 0 MHz");
  period_ = sc_core::sc_time(1e3 / clock_mhz, sc_core::SC_NS);
  SC_THREAD(main_thread);
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

void FixynnFront::main_thread() {
  for (;;) {
    while (!pending_) wait(job_event_);  // a job issued before the first sc_start() is already pending
    const Job job = *pending_;
    pending_ = nullptr;
    try {
      ensure_block(*job.net);
      result_ = run_frame(*block_, *job.input, frame_cycle_limit(*job.net));
      wait(period_ * static_cast<double>(result_.total_cycles + 1));  // + the reset edge
    } catch (...) {
      error_ = std::current_exception();
    }
    finished_ = true;
  }
}

FrameResult FixynnFront::run(const FixedNet& net, const TensorI8& input) {
  const Job job{&net, &input};
  pending_ = &job;
  finished_ = false;
  error_ = nullptr;
  job_event_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when every thread waits for its next job
  pending_ = nullptr;
  if (error_) std::rethrow_exception(error_);
  if (!finished_) throw std::logic_error("fixynn front end: job did not finish");
  return std::move(result_);
}

}  // namespace npusim::fixynn
