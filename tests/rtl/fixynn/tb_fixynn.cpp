// Verilator testbench of the generated FixyNN top (ports up to 64 bits wide): streams the frames of
// vectors.txt (written by fixynn_testnet) back to back and compares every output pixel with the golden one.
// Frame 0 runs with in_valid = out_ready = 1; later frames with random valid/ready stalls.
// Exit 0 = all equal, 1 = mismatch (prints the first ones), 2 = bad vectors / timeout.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <type_traits>
#include <vector>

#include "Vfixynn_top.h"
#include "verilated.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tb_fixynn vectors.txt\n");
    return 2;
  }
  std::ifstream f(argv[1]);
  int frames = 0;
  long H = 0, W = 0, C = 0, OH = 0, OW = 0, K = 0;
  if (!(f >> frames >> H >> W >> C >> OH >> OW >> K)) return 2;
  std::vector<std::vector<int>> in(frames), want(frames);
  for (int fr = 0; fr < frames; ++fr) {
    in[fr].resize(H * W * C);
    want[fr].resize(OH * OW * K);
    for (int& x : in[fr]) f >> x;
    for (int& y : want[fr]) f >> y;
  }
  if (!f) return 2;

  VerilatedContext ctx;
  Vfixynn_top top(&ctx);
  std::mt19937 rng(12345);
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

  long sent_frame = 0, sent_pix = 0, got_frame = 0, got_pix = 0, mismatches = 0;
  for (long cycle = 0; got_frame < frames; ++cycle) {
    if (cycle > 200000) {
      std::printf("timeout: frame %ld pixel %ld\n", got_frame, got_pix);
      return 2;
    }
    const bool calm = sent_frame == 0 && got_frame == 0;
    const bool have = sent_frame < frames;
    top.in_valid = have && (calm || rng() % 4 != 0);
    uint64_t d = 0;
    if (have)
      for (long c = 0; c < C; ++c)
        d |= static_cast<uint64_t>(static_cast<uint8_t>(in[sent_frame][sent_pix * C + c])) << (8 * c);
    top.in_data = static_cast<std::remove_reference_t<decltype(top.in_data)>>(d);
    top.out_ready = calm || rng() % 3 != 0;
    top.eval();
    if (top.in_valid && top.in_ready) {
      if (++sent_pix == H * W) sent_pix = 0, ++sent_frame;
    }
    if (top.out_valid && top.out_ready) {
      const uint64_t q = static_cast<uint64_t>(top.out_data);
      for (long k = 0; k < K; ++k) {
        const int got = static_cast<int8_t>(static_cast<uint8_t>(q >> (8 * k)));
        const int exp = want[got_frame][got_pix * K + k];
        if (got != exp && mismatches++ < 10)
          std::printf("mismatch: frame %ld pixel (%ld, %ld) channel %ld: rtl %d golden %d\n", got_frame,
                      got_pix / OW, got_pix % OW, k, got, exp);
      }
      if (++got_pix == OH * OW) got_pix = 0, ++got_frame;
    }
    tick();
  }
  if (mismatches) {
    std::printf("FAIL: %ld mismatching output values\n", mismatches);
    return 1;
  }
  std::printf("PASS: %d frames of %ldx%ldx%ld equal to the golden model\n", frames, OH, OW, K);
  return 0;
}
