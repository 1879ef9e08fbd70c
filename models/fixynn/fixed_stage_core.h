#pragma once
// C++ cycle core of one FixyNN stage (docs/fixynn.md): line buffer, output raster, one output pixel per
// cycle, valid/ready on both sides. Plain C++ with the RTL's two phases: eval_comb() drives the outputs
// visible this cycle from the registered state, tick() applies the rising edge given the inputs.
#include <cstdint>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "sim/quant/requant.h"

namespace npusim::fixynn {

// The pins of a stage (rst aside): inputs in_valid, in_data [C], out_ready; outputs in_ready, out_valid,
// out_data [K].
struct StagePorts {
  bool in_valid = false, in_ready = false;
  std::vector<int8_t> in_data;
  bool out_valid = false, out_ready = false;
  std::vector<int8_t> out_data;
};

class FixedStageCore {
 public:
  // Throws InputError for adder_pipeline != 0 (not implemented yet) or inconsistent stage constants.
  FixedStageCore(const FixedStage& stage, int adder_pipeline);

  const FixedStage& stage() const { return stage_; }
  // Synchronous reset (the edge with rst = 1): N = 0, next = 0, all registers 0.
  void reset();
  // Outputs of this cycle: in_ready, out_valid, out_data (resized to K).
  void eval_comb(StagePorts& p) const;
  // Rising edge with inputs in_valid, in_data, out_ready (as eval_comb left the outputs).
  void tick(const StagePorts& p);

  // Observation.
  bool in_ready() const;
  bool out_valid() const { return out_valid_; }
  int64_t received() const { return received_; }
  int64_t next_output() const { return next_; }  // raster index, OH*OW = frame done
  // What the last tick did.
  bool emitted() const { return emitted_; }
  bool accepted() const { return accepted_; }
  bool frame_ended() const { return frame_ended_; }

 private:
  // One conv's non-zero weights as flat lists, grouped by output channel: entries [start[k], start[k+1]).
  struct Taps {
    std::vector<int32_t> start;
    std::vector<int32_t> tap;      // window position i * S + j
    std::vector<int32_t> channel;  // input channel
    std::vector<int32_t> weight;
  };
  static Taps make_taps(const FixedConv& conv);
  bool window_complete(int64_t index) const;
  // The output pixel of raster index `index` from the line buffer into out.
  void compute(int64_t index, std::vector<int8_t>& out);

  FixedStage stage_;
  Taps first_taps_, second_taps_;
  quant::Requant first_rq_, second_rq_;
  int64_t rows_ = 1;     // line buffer rows
  int64_t pixels_ = 1;   // H * W
  int64_t outputs_ = 1;  // OH * OW
  // Registered state.
  std::vector<int8_t> buffer_;  // [rows][W][C]
  int64_t received_ = 0;
  int64_t next_ = 0;
  bool out_valid_ = false;
  std::vector<int8_t> out_data_;
  bool emitted_ = false, accepted_ = false, frame_ended_ = false;
  // Scratch of compute().
  std::vector<const int8_t*> window_;  // [R * S], nullptr = padding
  std::vector<int8_t> mid_;            // the fused stage's depthwise output
};

}  // namespace npusim::fixynn
