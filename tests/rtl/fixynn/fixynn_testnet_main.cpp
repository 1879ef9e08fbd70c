// fixynn_testnet DIR [SEED [edge|corner<N>]]: generates the test net's (or another test net's) RTL into
// DIR/rtl and writes DIR/vectors.txt for the Verilator testbench (tb_fixynn.cpp): "FRAMES STAGES", per stage
// "H W C OH OW K R S sh sw pt pl d", then per frame the input pixels (raster order, channels inner) and each
// stage's golden output pixels.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "tests/rtl/fixynn/test_net.h"

using namespace npusim;
using namespace npusim::fixynn;

int main(int argc, char** argv) {
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
