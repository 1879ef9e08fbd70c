#pragma once
// Shared helpers of the systolic tests: arch configs for arbitrary shapes and running an engine job
// to completion without SystemC.
#include <string>

#include "models/systolic/sa_engine.h"
#include "sim/common/rng.h"
#include "models/systolic/systolic_config.h"
#include "models/systolic/sa_layer.h"

namespace npusim::test {

inline ArchConfig sa_arch(int rows, int cols, bool ws, double dram_bpc = 1e6, int64_t kib = 512) {
  ArchConfig a;
  a.name = "test_" + std::to_string(rows) + "x" + std::to_string(cols) + (ws ? "_ws" : "_os");
  a.source = "test";
  a.family = "systolic";
  a.dram_bytes_per_cycle = dram_bpc;
  SystolicConfig& s = edit_systolic(a);
  s.rows = rows;
  s.cols = cols;
  s.dataflow = ws ? Dataflow::WS : Dataflow::OS;
  s.act_kib = s.wgt_kib = s.out_kib = kib;
  return a;
}

// A tensor-PE design point: tpe a x b x c; weights dense, dbb (nnz multipliers) or vdbb.
inline ArchConfig sta_arch(int rows, int cols, int a, int b, int c, const std::string& mode, int nnz,
                           double dram_bpc = 1e6, int64_t kib = 512) {
  ArchConfig arch = sa_arch(rows, cols, false, dram_bpc, kib);
  arch.name = "test_sta_" + std::to_string(a) + "x" + std::to_string(b) + "x" + std::to_string(c) + "_" +
              std::to_string(rows) + "x" + std::to_string(cols) + "_" + mode + std::to_string(nnz);
  edit_systolic(arch).tpe_a = a;
  edit_systolic(arch).tpe_b = b;
  edit_systolic(arch).tpe_c = c;
  edit_systolic(arch).weights.mode = mode;
  edit_systolic(arch).weights.block = b;
  edit_systolic(arch).weights.nnz = mode == "dense" ? b : nnz;
  return arch;
}

// An S2TA design point: time-unrolled TPE a x 1 x c behind a DAP unit (activations dap, block 8),
// weights dense (8 slots) or dbb (w_nnz slots).
inline ArchConfig s2ta_arch(int rows, int cols, int a, int c, const std::string& wmode, int w_nnz, int a_nnz,
                            double dram_bpc = 1e6, int64_t kib = 512) {
  ArchConfig arch = sa_arch(rows, cols, false, dram_bpc, kib);
  arch.name = "test_s2ta_" + std::to_string(a) + "x1x" + std::to_string(c) + "_" + std::to_string(rows) +
              "x" + std::to_string(cols) + "_" + wmode + std::to_string(w_nnz) + "_a" + std::to_string(a_nnz);
  edit_systolic(arch).tpe_a = a;
  edit_systolic(arch).tpe_c = c;
  edit_systolic(arch).weights.mode = wmode;
  edit_systolic(arch).weights.block = 8;
  edit_systolic(arch).weights.nnz = wmode == "dense" ? 8 : w_nnz;
  edit_systolic(arch).activations.mode = "dap";
  edit_systolic(arch).activations.block = 8;
  edit_systolic(arch).activations.nnz = a_nnz;
  return arch;
}

inline ArrayJobResult run_engine(const ArchConfig& arch, systolic::SaArrayIf& array, const ArrayJob& job) {
  systolic::SaEngine engine(arch, array);
  engine.begin(job);
  while (!engine.done()) engine.tick();
  return engine.take_result();
}

// A random conv layer (kernel up to 7x7, stride up to 3, dilation up to 2, batch up to 2, groups).
inline Layer random_conv(Rng& rng) {
  Layer l;
  l.name = "rand_conv";
  l.op = OpType::Conv;
  l.R = rng.uniform(1, 5);
  l.S = rng.uniform(1, 7);
  l.dilation = rng.uniform(1, 2);
  l.stride_h = rng.uniform(1, 3);
  l.stride_w = rng.uniform(1, 3);
  l.H = rng.uniform((l.R - 1) * l.dilation + 1, 14);
  l.W = rng.uniform((l.S - 1) * l.dilation + 1, 14);
  l.groups = rng.uniform(1, 3) == 1 ? 2 : 1;
  l.C = l.groups * rng.uniform(1, 19);
  l.K = l.groups * rng.uniform(1, 9);
  l.batch = rng.uniform(1, 2);
  l.pad_top = rng.uniform(0, (l.R - 1) * l.dilation / 2 + 1);
  l.pad_bottom = rng.uniform(0, l.pad_top);
  l.pad_left = rng.uniform(0, (l.S - 1) * l.dilation / 2 + 1);
  l.pad_right = rng.uniform(0, l.pad_left);
  l.out_h = (l.H + l.pad_top + l.pad_bottom - (l.R - 1) * l.dilation - 1) / l.stride_h + 1;
  l.out_w = (l.W + l.pad_left + l.pad_right - (l.S - 1) * l.dilation - 1) / l.stride_w + 1;
  return l;
}

// Bit-exact comparison with golden; returns "" or a description of the first difference.
inline std::string compare_golden(const ArrayJobResult& r, const PreparedJob& p) {
  for (int64_t i = 0; i < p.golden_acc.size(); ++i)
    if (r.acc[i] != p.golden_acc[i] || r.out[i] != p.golden_out[i])
      return "element " + std::to_string(i) + ": acc " + std::to_string(r.acc[i]) + " vs golden " +
             std::to_string(p.golden_acc[i]);
  return "";
}

}  // namespace npusim::test
