// Simulation speed of the SA backends on one fixed layer (3x3 conv, 56x56x64 -> 64, stride 1, pad 1)
// on a 16x16 array: simulated MACs per second and cycles per second of wall time, measured around
// the accelerator's run() only (tensor generation, golden and im2col excluded). Not a test.
#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <systemc>

#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_array_core.h"
#include "models/systolic/sa_array_block.h"
#include "models/systolic/sa_geometry.h"
#include "sim/cosim/lockstep.h"
#include "sim/config/arch_loader.h"
#include "models/systolic/sa_layer.h"

using namespace npusim;

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  const std::string arch_path = argc > 1 ? argv[1] : std::string(NPUSIM_SOURCE_DIR) + "/configs/arch/sa_16x16_os.yaml";
  const int reps = argc > 2 ? std::atoi(argv[2]) : 1;
  const ArchConfig arch = load_arch(arch_path);
  const systolic::SaShape shape = systolic::sa_shape(arch);
  Layer l;
  l.name = "conv3x3_56x56x64_64";
  l.op = OpType::Conv;
  l.H = l.W = 56, l.C = 64, l.K = 64, l.R = l.S = 3;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1;
  l.out_h = l.out_w = 56;
  const PreparedJob p = prepare_array_layer(l, 1, weight_scheme(arch, l));
  // All backends are elaborated up front (one elaboration per process).
  systolic::SaAccelerator model("model", arch, std::make_unique<systolic::SaArrayCore>(shape));
  systolic::SaAccelerator rtl("rtl", arch, std::make_unique<cosim::RtlBlock<systolic::SaArrayBlock>>(shape));
  systolic::SaAccelerator lockstep("lockstep", arch, std::make_unique<cosim::Lockstep<systolic::SaArrayBlock>>(shape));
  std::cout << fmt::format("layer {} ({} MACs) on {} ({}x{} of {}x{}x{} PEs, {}, weights {}), best of {} run(s)\n",
                           l.name, l.macs(), arch.name, sys(arch).rows, sys(arch).cols, shape.a, shape.b, shape.c,
                           shape.dataflow ? "ws" : "os", sys(arch).weights.mode, reps);
  std::cout << fmt::format("{:<10} {:>12} {:>10} {:>16} {:>16} {:>9}\n", "backend", "cycles", "wall_s", "sim_macs_per_s",
                           "sim_cycles_per_s", "verified");
  double model_s = 0, rtl_s = 0;
  for (auto* acc : {&model, &rtl, &lockstep}) {
    double best = 1e30;
    LayerStats st;
    for (int r = 0; r < reps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      ArrayJobResult res = acc->run(p.job);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best = std::min(best, s);
      st = res.stats;
      st.verified = res.acc.data == p.golden_acc.data && res.out.data == p.golden_out.data;
    }
    if (acc == &model) model_s = best;
    if (acc == &rtl) rtl_s = best;
    std::cout << fmt::format("{:<10} {:>12} {:>10.3f} {:>16.3e} {:>16.3e} {:>9}\n", acc->basename(), st.cycles, best,
                             l.macs() / best, st.cycles / best, st.verified ? "yes" : "NO");
  }
  std::cout << fmt::format("model is {:.1f}x faster than the Verilated RTL\n", rtl_s / model_s);
  return 0;
}
