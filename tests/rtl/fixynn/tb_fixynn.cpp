// Verilator testbench of the generated FixyNN top (NSTAGES stages, data ports up to 64 bits wide). Streams
// the frames of vectors.txt (fixynn_testnet) back to back and checks, every cycle, each stage's observation
// ports against an independent model of the control in docs/fixynn.md (in_ready, out_valid) and, while
// out_valid, out_data against the golden pixel that stage emitted last. Frame 0 runs with in_valid =
// out_ready = 1, later frames with random valid/ready stalls.
// Exit 0 = all equal, 1 = mismatch (prints the first ones), 2 = bad vectors / timeout.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <type_traits>
#include <vector>

#include "Vfixynn_top.h"
#include "verilated.h"

#ifndef NSTAGES
#error "compile with -DNSTAGES=<number of stages>"
#endif

namespace {

struct Geometry {
  long H, W, C, OH, OW, K, R, S, sh, sw, pt, pl, d;
};

// The contract's state of one stage and its per-cycle decisions (all from the state at the cycle start).
struct StageModel {
  Geometry g;
  long n = 0, next = 0, emitted = -1;  // emitted: index of the pixel in the output register
  bool out_valid = false;
  long top() const { return (next / g.OW) * g.sh - g.pt; }
  bool done() const { return next == g.OH * g.OW; }
  bool in_ready() const {
    const long br = (g.R - 1) * g.d + 2;  // FixedStage::buffer_rows(): the window plus a spare row
    return n < g.H * g.W && (done() || n / g.W - br < top());
  }
  bool complete() const {
    const long left = (next % g.OW) * g.sw - g.pl;
    const long last_row = std::min(top() + (g.R - 1) * g.d, g.H - 1);
    const long last_col = std::min(left + (g.S - 1) * g.d, g.W - 1);
    return n > last_row * g.W + last_col;
  }
  // Returns whether this frame ended.
  bool step(bool in_valid, bool out_ready) {
    const bool ready = in_ready(), free = !out_valid || out_ready;
    const bool frame_end = n == g.H * g.W && done() && free;
    if (!done() && complete() && free) {
      out_valid = true;
      emitted = next++;
    } else if (out_valid && out_ready) {
      out_valid = false;
    }
    if (in_valid && ready) ++n;
    if (frame_end) n = next = 0;
    return frame_end;
  }
};

struct Ports {
  const uint8_t* in_ready;
  const uint8_t* out_valid;
  uint64_t (*out_data)(const Vfixynn_top&);
};

#define FIXYNN_PORTS(k)                                                               \
  Ports {                                                                             \
    &top.s##k##_in_ready, &top.s##k##_out_valid,                                      \
        [](const Vfixynn_top& t) { return static_cast<uint64_t>(t.s##k##_out_data); } \
  }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tb_fixynn vectors.txt\n");
    return 2;
  }
  std::ifstream f(argv[1]);
  int frames = 0, stages = 0;
  if (!(f >> frames >> stages) || stages != NSTAGES) return 2;
  std::vector<StageModel> model(stages);
  for (auto& m : model) {
    Geometry& g = m.g;
    f >> g.H >> g.W >> g.C >> g.OH >> g.OW >> g.K >> g.R >> g.S >> g.sh >> g.sw >> g.pt >> g.pl >> g.d;
  }
  // in[frame], want[frame][stage]
  std::vector<std::vector<int>> in(frames);
  std::vector<std::vector<std::vector<int>>> want(frames, std::vector<std::vector<int>>(stages));
  for (int fr = 0; fr < frames; ++fr) {
    in[fr].resize(model[0].g.H * model[0].g.W * model[0].g.C);
    for (int& x : in[fr]) f >> x;
    for (int s = 0; s < stages; ++s) {
      want[fr][s].resize(model[s].g.OH * model[s].g.OW * model[s].g.K);
      for (int& y : want[fr][s]) f >> y;
    }
  }
  if (!f) return 2;

  VerilatedContext ctx;
  Vfixynn_top top(&ctx);
  const Ports ports[NSTAGES] = {
    FIXYNN_PORTS(0),
#if NSTAGES > 1
    FIXYNN_PORTS(1),
#endif
#if NSTAGES > 2
    FIXYNN_PORTS(2),
#endif
#if NSTAGES > 3
#error "extend the port table"
#endif
  };
  std::mt19937 rng(12345);
  // Optional port trace for the lockstep against the C++ core (fixynn_testnet replay): per cycle the
  // stimulus (in_valid, out_ready, in_data bytes) and every stage's in_ready, out_valid, out_data bytes.
  std::FILE* trace = argc > 2 ? std::fopen(argv[2], "w") : nullptr;
  auto tick = [&] {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  };
  top.clk = 0;
  top.rst = 1;
  top.in_valid = 0;
  top.out_ready = 0;
  top.eval();
  tick();
  tick();
  top.rst = 0;

  const long C = model[0].g.C, K = model.back().g.K;
  long sent_frame = 0, sent_pix = 0, mismatches = 0;
  std::vector<long> frame_of(stages, 0);  // the frame each stage's model is in
  auto report = [&](long cycle, const char* what, int s, long got, long exp) {
    if (mismatches++ < 10)
      std::printf("mismatch: cycle %ld stage %d %s: rtl %ld expected %ld\n", cycle, s, what, got, exp);
  };
  for (long cycle = 0; frame_of.back() < frames; ++cycle) {
    if (cycle > 200000) {
      std::printf("timeout: stage frames %ld\n", frame_of.back());
      return 2;
    }
    const bool calm = sent_frame == 0;
    const bool have = sent_frame < frames;
    top.in_valid = have && (calm || rng() % 4 != 0);
    uint64_t d = 0;
    if (have)
      for (long c = 0; c < C; ++c)
        d |= static_cast<uint64_t>(static_cast<uint8_t>(in[sent_frame][sent_pix * C + c])) << (8 * c);
    top.in_data = static_cast<std::remove_reference_t<decltype(top.in_data)>>(d);
    top.out_ready = calm || rng() % 3 != 0;
    top.eval();

    if (trace) {
      std::fprintf(trace, "%d %d", int{top.in_valid}, int{top.out_ready});
      for (long c = 0; c < C; ++c) std::fprintf(trace, " %d", static_cast<int>(static_cast<int8_t>(d >> (8 * c))));
      for (int s = 0; s < stages; ++s) {
        const uint64_t q = ports[s].out_data(top);
        std::fprintf(trace, " | %d %d", int{*ports[s].in_ready}, int{*ports[s].out_valid});
        for (long k = 0; k < model[s].g.K; ++k)
          std::fprintf(trace, " %d", static_cast<int>(static_cast<int8_t>(q >> (8 * k))));
      }
      std::fprintf(trace, "\n");
    }
    // Compare the observation ports with the model's state at the start of this cycle.
    for (int s = 0; s < stages; ++s) {
      const StageModel& m = model[s];
      if (*ports[s].in_ready != m.in_ready()) report(cycle, "in_ready", s, *ports[s].in_ready, m.in_ready());
      if (*ports[s].out_valid != m.out_valid) report(cycle, "out_valid", s, *ports[s].out_valid, m.out_valid);
      if (m.out_valid) {
        const uint64_t q = ports[s].out_data(top);
        const long k_n = m.g.K;
        for (long k = 0; k < k_n; ++k) {
          const int got = static_cast<int8_t>(static_cast<uint8_t>(q >> (8 * k)));
          const int exp = want[frame_of[s]][s][m.emitted * k_n + k];
          if (got != exp) report(cycle, "out_data", s, got, exp);
        }
      }
    }
    if (top.in_valid && top.in_ready && ++sent_pix == model[0].g.H * model[0].g.W) sent_pix = 0, ++sent_frame;
    // Step the models: stage s sees the previous stage's out_valid and the next stage's in_ready.
    std::vector<bool> ready(stages), valid(stages);
    for (int s = 0; s < stages; ++s) ready[s] = model[s].in_ready(), valid[s] = model[s].out_valid;
    for (int s = 0; s < stages; ++s) {
      const bool iv = s == 0 ? static_cast<bool>(top.in_valid) : valid[s - 1];
      const bool orr = s + 1 == stages ? static_cast<bool>(top.out_ready) : ready[s + 1];
      if (model[s].step(iv, orr)) ++frame_of[s];
    }
    tick();
  }
  (void)K;
  if (trace) std::fclose(trace);
  if (mismatches) {
    std::printf("FAIL: %ld mismatches\n", mismatches);
    return 1;
  }
  std::printf(
      "PASS: %d frames through %d stages, every observation port equal to the contract model and golden\n",
      frames, stages);
  return 0;
}
