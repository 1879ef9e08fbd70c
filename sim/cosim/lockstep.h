#pragma once
// Lockstep of any block (descriptor `Block`, see rtl_block.h): the C++ core and the Verilated RTL take
// the same inputs on every edge; every lane of every output port in the block's port list is compared
// after every edge and the first difference throws a DivergenceError naming the cycle, port, lane and,
// through the block's locate(), the part that drove it. It is itself the block's model interface (it
// shows the model's outputs), so the engine runs unchanged on top of it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cosim/divergence.h"
#include "sim/cosim/port_trace.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::cosim {

template <class Block>
class Lockstep final : public Block::template LockstepFace<Lockstep<Block>> {
 public:
  using Shape = typename Block::Shape;
  using Inputs = typename Block::Inputs;
  using Outputs = typename Block::Outputs;

  // `vcd_path`: port-level VCD of both sides, plus `<vcd_path>.rtl.vcd` with the RTL's internals.
  // `reset_seed`: the RTL's power-up values (rtl_instance.h); the model always starts from its reset.
  explicit Lockstep(const Shape& shape, typename Block::Fault fault = {}, const std::string& vcd_path = "",
                    uint32_t reset_seed = rtl_reset_seed())
      : model_(shape),
        rtl_(shape, fault, vcd_path.empty() ? "" : vcd_path + ".rtl.vcd", "", reset_seed),
        in_ports_(Block::inputs(shape)),
        out_ports_(Block::outputs(shape)) {
    if (vcd_path.empty()) return;
    trace_ = std::make_unique<PortTrace>(vcd_path, in_ports_.ports(), out_ports_.ports());
    trace_buf_[0].resize(in_ports_.total_lanes());
    for (int s = 1; s < 3; ++s) trace_buf_[s].resize(out_ports_.total_lanes());
  }

  const Shape& shape() const override { return model_.shape(); }
  const Outputs& outputs() const override { return model_.outputs(); }
  void step(const Inputs& in) override {
    model_.step(in);
    rtl_.step(in);
    if (trace_) dump(in);
    compare();
    ++cycle_;
  }

  uint64_t cycles_compared() const { return cycle_; }
  const typename Block::Core& model() const { return model_; }
  uint32_t reset_seed() const { return rtl_.reset_seed(); }

 private:
  void compare() const {
    const Outputs& m = model_.outputs();
    const Outputs& r = rtl_.outputs();
    const std::vector<Port>& ports = out_ports_.ports();
    for (size_t k = 0; k < ports.size(); ++k) {
      for (int i = 0; i < ports[k].lanes; ++i) {
        const int64_t want = out_ports_.value(m, k, i), got = out_ports_.value(r, k, i);
        if (want != got)
          throw DivergenceError({cycle_, ports[k].name, i, Block::locate(model_, ports[k].name, i), want, got,
                                 rtl_.reset_seed()});
      }
    }
  }
  void dump(const Inputs& in) {
    in_ports_.pack(in, trace_buf_[0].data());
    out_ports_.pack(model_.outputs(), trace_buf_[1].data());
    out_ports_.pack(rtl_.outputs(), trace_buf_[2].data());
    trace_->dump(cycle_, trace_buf_[0].data(), trace_buf_[1].data(), trace_buf_[2].data());
  }

  typename Block::Core model_;
  RtlBlock<Block> rtl_;
  PortList<Inputs> in_ports_;
  PortList<Outputs> out_ports_;
  uint64_t cycle_ = 0;
  std::unique_ptr<PortTrace> trace_;
  std::vector<uint32_t> trace_buf_[3];  // inputs, model outputs, RTL outputs
};

}  // namespace npusim::cosim
