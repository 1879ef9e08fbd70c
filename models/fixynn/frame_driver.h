#pragma once
// Drives a FixyNN front end through frames (docs/fixynn.md) over its model interface (the C++ core, the
// Verilated RTL or both in lockstep, fixynn_front_block.h), reading only its ports: one input pixel offered
// per cycle (in_valid = 1 while pixels remain, a pixel moves when in_ready), the last stage's out_ready from
// a pattern (always 1 by default). Two frames of the same input back to back: the first gives every stage's
// feature map and the frame's latency, the second the steady-state frame period.
#include <cstdint>
#include <functional>
#include <vector>

#include "models/fixynn/fixynn_front_core.h"
#include "sim/common/tensor.h"

namespace npusim::fixynn {

// One stage over the first frame's span (first input accepted .. last output of the last stage).
struct StageFrameStats {
  int64_t busy = 0;     // cycles it emitted an output pixel (its datapath computed, any frame)
  int64_t stalled = 0;  // cycles its output register was held (out_valid && !out_ready)
  int64_t idle = 0;     // span - busy
  int64_t first_output = -1, last_output = -1;  // cycles of its first frame's first / last output handshake
};

struct FrameResult {
  std::vector<TensorI8> outputs;  // per stage, the first frame's [OH][OW][K]
  std::vector<StageFrameStats> stages;
  int64_t cycles = 0;               // first frame: first input accepted .. last output, inclusive
  int64_t frame_period = 0;         // last output of frame 2 - last output of frame 1
  int64_t input_period = 0;         // first input of frame 2 - first input of frame 1
  bool second_frame_equal = false;  // every stage's second-frame map equals its first
  int64_t total_cycles = 0;         // cycles simulated from reset until every stage finished frame 2
};

// Resets the block (one edge with rst = 1), then runs two frames of `input` ([H][W][C] of the first stage).
// out_ready(cycle) (cycle counted from reset) gives the last stage's out_ready; empty = always 1. Throws
// InputError for an input of the wrong shape, VerificationError when the frames are not done within
// max_cycles (a deadlock). total_cycles does not count the reset edge.
// Generous bound on the cycles of run_frame's two frames: every stage's pixels in and out, twice, several
// times over (a real deadlock never finishes).
int64_t frame_cycle_limit(const FixedNet& net);

FrameResult run_frame(FixynnFrontIf& block, const TensorI8& input, int64_t max_cycles,
                      const std::function<bool(int64_t)>& out_ready = {});

}  // namespace npusim::fixynn
