#include "models/fixynn/frame_driver.h"

#include <algorithm>
#include <string>

#include "sim/common/error.h"

namespace npusim::fixynn {

namespace {

// Stage s's out_ready in the cycle `o` shows: the next stage's in_ready, or the top's out_ready.
bool stage_out_ready(const FrontOutputs& o, size_t s, bool out_ready) {
  return s + 1 < o.stages.size() ? o.stages[s + 1].in_ready : out_ready;
}

}  // namespace

int64_t frame_cycle_limit(const FixedNet& net) {
  int64_t c = 10000;
  for (const FixedStage& st : net.stages) c += 8 * (st.H * st.W + st.OH * st.OW + st.W * st.buffer_rows());
  return c;
}

FrameResult run_frame(FixynnFrontIf& block, const TensorI8& input, int64_t max_cycles,
                      const std::function<bool(int64_t)>& out_ready) {
  const FixedNet& net = block.shape().net;
  const FixedStage& first = net.stages.front();
  const int64_t C = first.in_channels();
  if (input.shape != std::vector<int64_t>{first.H, first.W, C}) {
    throw InputError("fixynn: frame input is not [" + std::to_string(first.H) + "][" +
                     std::to_string(first.W) + "][" + std::to_string(C) + "]");
  }
  constexpr int kFrames = 2;
  const size_t n = net.stages.size();
  const int64_t pixels = first.H * first.W;
  FrameResult res;
  res.stages.resize(n);
  std::vector<TensorI8> second(n);
  std::vector<int64_t> produced(n, 0);  // output handshakes per stage, over both frames
  for (size_t s = 0; s < n; ++s) {
    const FixedStage& st = net.stages[s];
    res.outputs.emplace_back(std::vector<int64_t>{st.OH, st.OW, st.out_channels()});
    second[s] = res.outputs[s];
  }
  const size_t last = n - 1;
  int64_t fed = 0;
  int64_t first_in[kFrames] = {-1, -1}, last_out[kFrames] = {-1, -1};
  FrontInputs in(block.shape());
  in.rst = true;
  block.step(in);
  in.rst = false;
  // Every stage finishes both frames (an early stage may still be draining rows the next one skips when the
  // last output is out).
  auto done = [&] {
    for (size_t s = 0; s < n; ++s) {
      if (produced[s] < kFrames * net.stages[s].OH * net.stages[s].OW) return false;
    }
    return true;
  };
  std::vector<bool> held(n);  // stage s's output register holds its pixel through this edge (no emit)
  int64_t t = 0;
  for (; !done(); ++t) {
    if (t >= max_cycles) {
      throw VerificationError("fixynn: " + std::to_string(kFrames) + " frames not done within " +
                              std::to_string(max_cycles) + " cycles (" + std::to_string(fed) +
                              " pixels fed, " + std::to_string(produced[last]) + " final outputs)");
    }
    // The ports of this cycle: outputs as the last edge left them, inputs set now.
    const FrontOutputs& o = block.outputs();
    in.in_valid = fed < kFrames * pixels;
    if (in.in_valid) {
      const int64_t p = fed % pixels;
      std::copy_n(input.data.begin() + p * C, C, in.in_data.begin());
    }
    in.out_ready = !out_ready || out_ready(t);
    const bool in_span = first_in[0] >= 0 || (in.in_valid && o.in_ready);
    const bool span_open = in_span && last_out[0] < 0;  // this cycle belongs to the first frame's span
    if (in.in_valid && o.in_ready) {
      if (fed % pixels == 0) first_in[fed / pixels] = t;
      ++fed;
    }
    for (size_t s = 0; s < n; ++s) {
      const FrontStageOutputs& p = o.stages[s];
      const bool ready = stage_out_ready(o, s, in.out_ready);
      held[s] = p.out_valid && !ready;
      if (span_open && held[s]) ++res.stages[s].stalled;
      if (!(p.out_valid && ready)) continue;
      const FixedStage& st = net.stages[s];
      const int64_t per_frame = st.OH * st.OW;
      const int64_t frame = produced[s] / per_frame, idx = produced[s] % per_frame;
      if (frame < kFrames) {
        TensorI8& dst = frame == 0 ? res.outputs[s] : second[s];
        std::copy(p.out_data.begin(), p.out_data.end(), dst.data.begin() + idx * st.out_channels());
        if (frame == 0 && idx == 0) res.stages[s].first_output = t;
        if (frame == 0 && idx == per_frame - 1) res.stages[s].last_output = t;
      }
      ++produced[s];
      if (s == last && idx == per_frame - 1) last_out[frame] = t;
    }
    block.step(in);
    // An edge emitted a pixel iff the register was free or consumed and shows a valid pixel after it.
    if (span_open) {
      const FrontOutputs& after = block.outputs();
      for (size_t s = 0; s < n; ++s) res.stages[s].busy += !held[s] && after.stages[s].out_valid ? 1 : 0;
    }
  }
  res.total_cycles = t;
  res.cycles = last_out[0] - first_in[0] + 1;
  res.frame_period = last_out[1] - last_out[0];
  res.input_period = first_in[1] - first_in[0];
  for (StageFrameStats& st : res.stages) st.idle = res.cycles - st.busy;
  res.second_frame_equal = true;
  for (size_t s = 0; s < n; ++s) res.second_frame_equal &= second[s].data == res.outputs[s].data;
  return res;
}

}  // namespace npusim::fixynn
