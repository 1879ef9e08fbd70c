// fixynn_testnet replay DIR [SEED [edge|corner<N>]]: the lockstep of the C++ cycle core against the RTL:
// replays the testbench's port trace DIR/trace.txt (tb_fixynn.cpp) on FixedPipelineCore built from the same
// net and compares every stage's in_ready, out_valid and out_data on every cycle.
// fixynn_testnet DIR [SEED [edge|corner<N>]]: generates the test net's (or another test net's) RTL into
// DIR/rtl and writes DIR/vectors.txt for the Verilator testbench (tb_fixynn.cpp): "FRAMES STAGES", per stage
// "H W C OH OW K R S sh sw pt pl d", then per frame the input pixels (raster order, channels inner) and each
// stage's golden output pixels.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "models/fixynn/fixed_pipeline_core.h"
#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "tests/rtl/fixynn/test_net.h"

using namespace npusim;
using namespace npusim::fixynn;

namespace {

FixedNet make_net(int argc, char** argv, int first) {
  const uint64_t seed = argc > first ? std::strtoull(argv[first], nullptr, 10) : 1;
  const std::string kind = argc > first + 1 ? argv[first + 1] : "";
  return kind == "edge" ? test::make_edge_net(seed)
         : kind.rfind("corner", 0) == 0 ? test::make_corner_net(std::atoi(kind.c_str() + 6), seed)
                                         : test::make_test_net(seed);
}

// Exit 0: every port equal on every cycle; 1: the first mismatches, naming cycle, stage, port and channel.
int replay(const std::string& dir, const FixedNet& net) {
  std::ifstream t(dir + "/trace.txt");
  if (!t) throw InputError(dir + "/trace.txt: cannot open");
  FixedPipelineCore core(net);
  core.reset();
  const size_t S = net.stages.size();
  long cycle = 0, mismatches = 0;
  std::string line;
  auto report = [&](size_t s, const std::string& what, long got, long exp) {
    if (mismatches++ < 10)
      std::cout << "lockstep mismatch: cycle " << cycle << " stage " << s << " (" << net.stages[s].name << ") "
                << what << ": rtl " << got << ", model " << exp << "\n";
  };
  while (std::getline(t, line)) {
    std::istringstream in(line);
    int iv = 0, orr = 0;
    in >> iv >> orr;
    StagePorts& p0 = core.first_ports();
    p0.in_valid = iv;
    p0.in_data.assign(static_cast<size_t>(net.stages[0].in_channels()), 0);
    for (auto& x : p0.in_data) {
      int v = 0;
      in >> v;
      x = static_cast<int8_t>(v);
    }
    core.set_out_ready(orr);
    core.eval_comb();
    for (size_t s = 0; s < S; ++s) {
      std::string bar;
      int ir = 0, ov = 0;
      in >> bar >> ir >> ov;
      const StagePorts& p = core.ports(s);
      if (ir != p.in_ready) report(s, "in_ready", ir, p.in_ready);
      if (ov != p.out_valid) report(s, "out_valid", ov, p.out_valid);
      for (int64_t k = 0; k < net.stages[s].out_channels(); ++k) {
        int q = 0;
        in >> q;
        const int m = k < static_cast<int64_t>(p.out_data.size()) ? p.out_data[static_cast<size_t>(k)] : 0;
        if (p.out_valid && q != m) report(s, "out_data channel " + std::to_string(k), q, m);
      }
    }
    core.tick();
    ++cycle;
  }
  if (cycle == 0) throw InputError(dir + "/trace.txt: empty");
  if (mismatches) {
    std::cout << "FAIL: " << mismatches << " port mismatches between the C++ core and the RTL in " << cycle
              << " cycles\n";
    return 1;
  }
  std::cout << "PASS: the C++ core and the RTL agree on every stage's ports for " << cycle << " cycles\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "replay") {
    try {
      return replay(argv[2], make_net(argc, argv, 3));
    } catch (const InputError& e) {
      std::cerr << "fixynn_testnet: " << e.what() << "\n";
      return 2;
    }
  }
  if (argc < 2) {
    std::cerr << "usage: fixynn_testnet DIR [SEED [edge|corner<N>]]\n";
    return 2;
  }
  const std::string dir = argv[1];
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  try {
    const bool edge = argc > 3 && std::string(argv[3]) == "edge";
    const std::string kind = argc > 3 ? argv[3] : "";
    const FixedNet net = edge ? test::make_edge_net(seed)
                         : kind.rfind("corner", 0) == 0
                             ? test::make_corner_net(std::atoi(kind.c_str() + 6), seed)
                             : test::make_test_net(seed);
    generate_fixynn_rtl(net).write_rtl(dir + "/rtl");
    const FixedStage& first = net.stages.front();
    const int frames = 2;
    std::ofstream v(dir + "/vectors.txt");
    v << frames << " " << net.stages.size() << "\n";
    for (const FixedStage& st : net.stages)
      v << st.H << " " << st.W << " " << st.in_channels() << " " << st.OH << " " << st.OW << " "
        << st.out_channels() << " " << st.first.R << " " << st.first.S << " " << st.stride_h << " "
        << st.stride_w << " " << st.pad_top << " " << st.pad_left << " " << st.dilation << "\n";
    Rng rng(seed, "fixynn_test_frames");
    for (int f = 0; f < frames; ++f) {
      TensorI8 in({first.H, first.W, first.in_channels()});
      for (auto& x : in.data) x = static_cast<int8_t>(rng.uniform(-128, 127));
      for (int8_t x : in.data) v << int{x} << " ";
      v << "\n";
      for (const TensorI8& out : test::golden_stages(net, in)) {
        for (int8_t y : out.data) v << int{y} << " ";
        v << "\n";
      }
    }
    if (!v) throw InputError(dir + "/vectors.txt: cannot write");
  } catch (const InputError& e) {
    std::cerr << "fixynn_testnet: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
