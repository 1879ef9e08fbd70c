// The SA cycle model (C++ core + engine, no SystemC): bit-exact against golden on random GEMMs and
// real layer shapes, --fast closed form equal to the cycle model wherever nothing stalls, traffic
// accounting, and the fold plan's residency rules.
#include <catch2/catch.hpp>

#include "models/systolic/sa_activity.h"
#include "models/systolic/sa_array_core.h"
#include "models/systolic/sa_cost.h"
#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_timing.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "models/systolic/fold_plan.h"
#include "tests/support/sa_test_util.h"

using namespace npusim;

namespace {
mapping::FoldPlanParams plan_params(int rows, int cols, bool ws, int64_t act, int64_t wgt, int64_t out) {
  mapping::FoldPlanParams p;
  p.rows = rows;
  p.cols = cols;
  p.weight_stationary = ws;
  p.act_bytes = act;
  p.wgt_bytes = wgt;
  p.out_bytes = out;
  return p;
}
}  // namespace

TEST_CASE("sa engine is bit-exact on random GEMMs in both dataflows") {
  Rng rng(11, "test:engine-gemm");
  for (int i = 0; i < 120; ++i) {
    const bool ws = i % 2;
    const int rows = static_cast<int>(rng.uniform(1, 9)), cols = static_cast<int>(rng.uniform(1, 9));
    const int64_t M = rng.uniform(1, 40), K = rng.uniform(1, 40), N = rng.uniform(1, 40);
    const ArchConfig arch = test::sa_arch(rows, cols, ws, static_cast<double>(rng.uniform(1, 64)));
    systolic::SaArrayCore core({rows, cols, ws ? 1 : 0});
    const PreparedJob p = prepare_gemm(M, K, N, 100 + i);
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    INFO(arch.name << " GEMM " << M << "x" << K << "x" << N);
    CHECK(test::compare_golden(r, p).empty());
    CHECK(r.stats.actions.at("mac") == M * K * N);
  }
}

TEST_CASE("sa engine runs real conv layers bit-exactly with groups and stride and padding and dilation") {
  Layer l;
  l.name = "conv";
  l.op = OpType::Conv;
  l.H = 9, l.W = 7, l.C = 6, l.K = 10, l.R = 3, l.S = 3, l.stride_h = 2, l.stride_w = 1;
  l.pad_top = 0, l.pad_bottom = 1, l.pad_left = 2, l.pad_right = 1, l.groups = 2, l.dilation = 2;
  l.out_h = (l.H + 1 - 2 * 2 - 1) / 2 + 1;
  l.out_w = (l.W + 3 - 2 * 2 - 1) / 1 + 1;
  for (bool ws : {false, true}) {
    const ArchConfig arch = test::sa_arch(4, 3, ws, 8);
    systolic::SaArrayCore core({4, 3, ws ? 1 : 0});
    const PreparedJob p = prepare_array_layer(l, 7);
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    CHECK(test::compare_golden(r, p).empty());
  }
}

TEST_CASE("fast closed form equals the cycle model on every no-stall case") {
  Rng rng(5, "test:fast-vs-cycle");
  int no_stall = 0, total = 0;
  for (int i = 0; i < 300; ++i) {
    const bool ws = i % 2;
    const int rows = static_cast<int>(rng.uniform(1, 16)), cols = static_cast<int>(rng.uniform(1, 16));
    const int64_t M = rng.uniform(1, 200), K = rng.uniform(1, 300), N = rng.uniform(1, 60);
    // Mostly ample bandwidth, sometimes scarce; small buffers sometimes force K chunks / M chunks.
    const double bpc = rng.bernoulli(0.8) ? static_cast<double>(rng.uniform(64, 4096)) : rng.uniform(1, 8);
    const int64_t kib = rng.bernoulli(0.3) ? rng.uniform(2, 8) : 256;
    ArchConfig arch = test::sa_arch(rows, cols, ws, bpc, kib);
    systolic::SaArrayCore core({rows, cols, ws ? 1 : 0});
    PreparedJob p;
    try {
      p = prepare_gemm(M, K, N, 1000 + i);
      (void)mapping::plan_folds(M, K, N, plan_params(rows, cols, ws, kib * 1024, kib * 1024, kib * 1024));
    } catch (const InputError&) {
      continue;  // buffers too small for this array: rejected up front, nothing to compare
    }
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    const LayerStats fast = systolic::sa_estimate(arch, p.job);
    ++total;
    INFO(arch.name << " bpc " << bpc << " kib " << kib << " GEMM " << M << "x" << K << "x" << N);
    REQUIRE(test::compare_golden(r, p).empty());
    // Traffic and fold counts are the same in both modes, stall or not.
    CHECK(fast.actions.at("fold") == r.stats.actions.at("fold"));
    CHECK(fast.dram_read_bytes == r.stats.dram_read_bytes);
    CHECK(fast.dram_write_bytes == r.stats.dram_write_bytes);
    CHECK(fast.sram_read_bytes.at("act") == r.stats.sram_read_bytes.at("act"));
    CHECK(fast.sram_read_bytes.at("wgt") == r.stats.sram_read_bytes.at("wgt"));
    CHECK(fast.sram_read_bytes.at("out") == r.stats.sram_read_bytes.at("out"));
    CHECK(fast.sram_write_bytes.at("out") == r.stats.sram_write_bytes.at("out"));
    CHECK(fast.prologue_cycles == r.stats.prologue_cycles);
    if (r.stats.stall_cycles == 0) {
      ++no_stall;
      CHECK(fast.cycles == r.stats.cycles);
    } else {
      CHECK(fast.cycles <= r.stats.cycles + r.stats.stall_cycles);
    }
  }
  // The comparison must actually have happened on most cases.
  CHECK(total > 250);
  CHECK(no_stall > total / 2);
}

TEST_CASE("scarce DRAM bandwidth makes the array stall and ample bandwidth does not") {
  const PreparedJob p = prepare_gemm(256, 64, 64, 3);
  systolic::SaArrayCore c1({16, 16, 0}), c2({16, 16, 0});
  const auto fast_run = test::run_engine(test::sa_arch(16, 16, false, 1024), c1, p.job);
  const auto slow_run = test::run_engine(test::sa_arch(16, 16, false, 1), c2, p.job);
  CHECK(fast_run.stats.stall_cycles == 0);
  CHECK(slow_run.stats.stall_cycles > 0);
  CHECK(slow_run.stats.cycles > fast_run.stats.cycles);
  // Operands cross the DRAM port at most once when everything fits.
  CHECK(fast_run.stats.dram_read_bytes == 256 * 64 + 64 * 64);
  CHECK(test::compare_golden(slow_run, p).empty());
}

TEST_CASE("OS fold timing matches docs/sa_array.md for fill and fold and drain") {
  // One fold, K slices: PE(r,c) emits after edge n0 + K + r + c; the job ends when the tile's DMA
  // write (ceil(bytes / bpc) cycles) completes.
  const PreparedJob p = prepare_gemm(4, 10, 3, 1);
  systolic::SaArrayCore core({4, 3, 0});
  const auto r = test::run_engine(test::sa_arch(4, 3, false, 1e6), core, p.job);
  // prologue: weights (30 B) then activations (40 B) each 1 cycle; fold starts at 2;
  // last result after edge 2 + 10 + 3 + 2 = 17; write 1 cycle -> 18 cycles.
  CHECK(r.stats.prologue_cycles == 2);
  CHECK(r.stats.cycles == 18);
}

TEST_CASE("fold plan keeps tiles resident when they fit and refetches when they do not") {
  using mapping::plan_folds;
  using Order = mapping::FoldPlanParams::Order;
  const auto fits = plan_folds(64, 32, 64, plan_params(16, 16, false, 64 * 1024, 64 * 1024, 64 * 1024));
  CHECK(fits.folds.size() == 16);
  CHECK(fits.dram_read_bytes() == 64 * 32 + 32 * 64);
  // Activation buffer of 1 KiB holds two 16x32 tiles only. N outermost refetches A for every N tile;
  // M outermost reuses each A tile across N while all of W stays resident; auto picks the cheaper.
  mapping::FoldPlanParams tight_p = plan_params(16, 16, false, 1024, 64 * 1024, 64 * 1024);
  tight_p.order = Order::NOuter;
  CHECK(plan_folds(64, 32, 64, tight_p).dram_read_bytes() == 4 * 64 * 32 + 32 * 64);
  tight_p.order = Order::MOuter;
  CHECK(plan_folds(64, 32, 64, tight_p).dram_read_bytes() == 64 * 32 + 32 * 64);
  tight_p.order = Order::Auto;
  const auto tight = plan_folds(64, 32, 64, tight_p);
  CHECK(tight.m_outer);
  CHECK(tight.dram_read_bytes() == 64 * 32 + 32 * 64);
  // K chunking when one operand tile exceeds half a buffer.
  const auto chunked = plan_folds(16, 100, 16, plan_params(16, 16, false, 1024, 1024, 64 * 1024));
  CHECK(chunked.k_chunks == 4);
  CHECK_THROWS_AS(plan_folds(16, 16, 16, plan_params(16, 16, false, 16, 1024, 1024)), InputError);
}

namespace {

// Random GEMMs and one conv on a tensor design point, bit-exact and --fast == cycle when no stall.
void tensor_case(const ArchConfig& arch, int layer_nnz, uint64_t seed) {
  Rng rng(seed, "test:tensor");
  systolic::SaArrayCore core(systolic::sa_shape(arch));
  for (int i = 0; i < 12; ++i) {
    const int64_t M = rng.uniform(1, 3 * sys(arch).rows * sys(arch).tpe_a + 3), K = rng.uniform(1, 70);
    const int64_t N = rng.uniform(1, 3 * sys(arch).cols * sys(arch).tpe_c + 3);
    WeightScheme ws{sys(arch).tpe_b, sys(arch).weights.mode != "dense",
                    sys(arch).weights.mode == "dense" ? sys(arch).tpe_b : layer_nnz};
    const PreparedJob p = prepare_gemm(M, K, N, seed * 100 + i, ws);
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    INFO(arch.name << " layer nnz " << layer_nnz << " GEMM " << M << "x" << K << "x" << N);
    REQUIRE(test::compare_golden(r, p).empty());
    const LayerStats fast = systolic::sa_estimate(arch, p.job);
    CHECK(fast.sram_read_bytes.at("act") == r.stats.sram_read_bytes.at("act"));
    CHECK(fast.sram_read_bytes.at("wgt") == r.stats.sram_read_bytes.at("wgt"));
    CHECK(fast.dram_read_bytes == r.stats.dram_read_bytes);
    CHECK(fast.actions.at("mac") == r.stats.actions.at("mac"));
    if (r.stats.stall_cycles == 0) CHECK(fast.cycles == r.stats.cycles);
  }
}

}  // namespace

TEST_CASE("dense STA tensor PEs are bit-exact and match the closed form") {
  tensor_case(test::sta_arch(2, 2, 2, 2, 2, "dense", 2), 2, 1);
  tensor_case(test::sta_arch(2, 3, 4, 8, 4, "dense", 8), 8, 2);
  tensor_case(test::sta_arch(3, 2, 3, 5, 2, "dense", 5), 5, 3);  // non-power-of-two TPE
}

TEST_CASE("STA-DBB with 4 multipliers behind 8-to-1 muxes runs every layer sparsity") {
  for (int nnz = 1; nnz <= 8; ++nnz) tensor_case(test::sta_arch(2, 2, 2, 8, 2, "dbb", 4), nnz, 10 + nnz);
}

TEST_CASE("VDBB time-unrolled lanes run every NNZ at constant utilization") {
  for (int nnz = 1; nnz <= 8; ++nnz) tensor_case(test::sta_arch(2, 2, 4, 8, 4, "vdbb", nnz), nnz, 20 + nnz);
  // A block takes NNZ cycles: slices scale with NNZ, multiplier operations per slice do not.
  const ArchConfig arch = test::sta_arch(2, 2, 1, 8, 1, "vdbb", 1);
  int64_t slots_per_cycle[2] = {0, 0};
  int k = 0;
  for (int nnz : {2, 6}) {
    systolic::SaArrayCore core(systolic::sa_shape(arch));
    const PreparedJob p = prepare_gemm(64, 256, 64, 5, WeightScheme{8, true, nnz});
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    CHECK(test::compare_golden(r, p).empty());
    slots_per_cycle[k++] = r.stats.actions.at("mac") * 1000 / r.stats.cycles;
  }
  CHECK(std::abs(slots_per_cycle[0] - slots_per_cycle[1]) * 20 < slots_per_cycle[1]);
}

TEST_CASE("a scalar sa_array and a 1x1x1 tensor configuration are the same hardware") {
  const ArchConfig a = test::sa_arch(4, 4, false, 8);
  const ArchConfig b = test::sta_arch(4, 4, 1, 1, 1, "dense", 1, 8);
  systolic::SaArrayCore c1(systolic::sa_shape(a)), c2(systolic::sa_shape(b));
  const PreparedJob p = prepare_gemm(30, 17, 21, 4);
  const auto r1 = test::run_engine(a, c1, p.job), r2 = test::run_engine(b, c2, p.job);
  CHECK(r1.stats.cycles == r2.stats.cycles);
  CHECK(r1.acc.data == r2.acc.data);
}

namespace {

Layer conv3x3(int64_t hw, int64_t c, int64_t k, int64_t stride) {
  Layer l;
  l.name = "conv3x3";
  l.op = OpType::Conv;
  l.H = l.W = hw, l.C = c, l.K = k, l.R = l.S = 3, l.stride_h = l.stride_w = stride;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1;
  l.out_h = l.out_w = (hw + 2 - 3) / stride + 1;
  return l;
}

}  // namespace

TEST_CASE("hardware IM2COL is bit-exact and reads each activation once per kernel row") {
  for (const auto& [arch_sw, layer_nnz] : {std::pair{test::sa_arch(16, 16, false, 64), 1},
                                           std::pair{test::sta_arch(4, 4, 2, 8, 2, "dense", 8, 64), 8},
                                           std::pair{test::sta_arch(4, 4, 2, 8, 2, "dbb", 4, 64), 3},
                                           std::pair{test::sta_arch(4, 2, 4, 8, 4, "vdbb", 2, 64), 2}}) {
    ArchConfig arch_hw = arch_sw;
    edit_systolic(arch_hw).im2col = "hardware";
    const Layer l = conv3x3(20, 16, 24, 1);
    Layer ln = l;
    if (sys(arch_sw).weights.mode != "dense") ln.w_nnz = layer_nnz;
    int64_t reads[2] = {0, 0};
    int k = 0;
    for (const ArchConfig* arch : std::initializer_list<const ArchConfig*>{&arch_sw, &arch_hw}) {
      const WeightScheme ws = weight_scheme(*arch, ln);
      CHECK(ws.hw_im2col == (arch == &arch_hw));
      systolic::SaArrayCore core(systolic::sa_shape(*arch));
      const PreparedJob p = prepare_array_layer(ln, 8, ws);
      const ArrayJobResult r = test::run_engine(*arch, core, p.job);
      INFO(arch->name << " im2col " << sys(*arch).im2col);
      CHECK(test::compare_golden(r, p).empty());
      const LayerStats fast = systolic::sa_estimate(*arch, p.job);
      CHECK(fast.sram_read_bytes.at("act") == r.stats.sram_read_bytes.at("act"));
      CHECK(fast.dram_read_bytes == r.stats.dram_read_bytes);
      if (r.stats.stall_cycles == 0) CHECK(fast.cycles == r.stats.cycles);
      reads[k++] = r.stats.sram_read_bytes.at("act");
    }
    // 3x3, stride 1: about 3x fewer activation reads (less at tile edges, where halos are re-read).
    const double ratio = static_cast<double>(reads[0]) / reads[1];
    INFO(arch_sw.name << " activation read reduction " << ratio);
    CHECK(ratio > 2.3);
    CHECK(ratio <= 3.0);
  }
}

TEST_CASE("hardware IM2COL handles stride 2 and a 1x1 conv (no reduction) bit-exactly") {
  ArchConfig arch = test::sta_arch(4, 4, 2, 8, 2, "dense", 8, 64);
  edit_systolic(arch).im2col = "hardware";
  systolic::SaArrayCore core(systolic::sa_shape(arch));
  const Layer s2 = conv3x3(17, 12, 10, 2);
  const PreparedJob p = prepare_array_layer(s2, 9, weight_scheme(arch, s2));
  CHECK(test::compare_golden(test::run_engine(arch, core, p.job), p).empty());
  Layer one = s2;
  one.R = one.S = 1, one.pad_top = one.pad_bottom = one.pad_left = one.pad_right = 0,
  one.stride_h = one.stride_w = 1;
  one.out_h = one.out_w = 17;
  const PreparedJob q = prepare_array_layer(one, 9, weight_scheme(arch, one));
  const ArrayJobResult r = test::run_engine(arch, core, q.job);
  CHECK(test::compare_golden(r, q).empty());
  // 1x1: each pixel read once per N tile (10 filters on 4 TPE columns x C = 2 -> 2 tiles), as in software.
  CHECK(r.stats.sram_read_bytes.at("act") == 17 * 17 * 12 * 2);
}

TEST_CASE("the IM2COL unit feeds random convolutions bit-exactly and the closed form follows its loads") {
  auto count = [](const LayerStats& s, const char* key) {
    const auto it = s.actions.find(key);
    return it == s.actions.end() ? int64_t{0} : it->second;
  };
  Rng rng(77, "test:im2col-feeder");
  int no_stall = 0, with_bubbles = 0, split_loads = 0;
  const int cases = 60;
  for (int i = 0; i < cases; ++i) {
    const int a = static_cast<int>(rng.uniform(1, 3)), b = static_cast<int>(rng.uniform(1, 3)) * 2 - 1;
    const std::string mode =
        b == 1 ? "dense" : std::vector<std::string>{"dense", "dbb", "vdbb"}[rng.uniform(0, 2)];
    const int p_nnz = mode == "dbb" ? static_cast<int>(rng.uniform(1, b)) : b;
    ArchConfig arch =
        b == 1
            ? test::sa_arch(static_cast<int>(rng.uniform(1, 5)), static_cast<int>(rng.uniform(1, 5)), false,
                            rng.uniform(0, 1) ? 1e6 : 8.0)
            : test::sta_arch(static_cast<int>(rng.uniform(1, 4)), static_cast<int>(rng.uniform(1, 4)), a, b,
                             static_cast<int>(rng.uniform(1, 3)), mode, p_nnz, rng.uniform(0, 1) ? 1e6 : 8.0);
    edit_systolic(arch).im2col = "hardware";
    const int64_t act_rows = int64_t{sys(arch).rows} * sys(arch).tpe_a;
    // Few slots force kernel rows to be split into several loads.
    if (rng.uniform(0, 1)) edit_systolic(arch).im2col_slots = rng.uniform(act_rows + 1, 2 * act_rows + 1);
    Layer l = test::random_conv(rng);
    if (mode != "dense") l.w_nnz = static_cast<int>(rng.uniform(1, b));
    const WeightScheme ws = weight_scheme(arch, l);
    REQUIRE(ws.hw_im2col);
    systolic::SaArrayCore core(systolic::sa_shape(arch));
    const PreparedJob p = prepare_array_layer(l, 100 + i, ws);
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    INFO("case " << i << " " << arch.name << " slots " << sys(arch).im2col_slots << " layer " << l.H << "x" << l.W
                 << "x" << l.C << " k" << l.R << "x" << l.S << " s" << l.stride_h << "," << l.stride_w << " d"
                 << l.dilation << " g" << l.groups << " b" << l.batch);
    REQUIRE(test::compare_golden(r, p).empty());
    const LayerStats fast = systolic::sa_estimate(arch, p.job);
    CHECK(fast.sram_read_bytes.at("act") == r.stats.sram_read_bytes.at("act"));
    CHECK(count(fast, "im2col_load") == count(r.stats, "im2col_load"));
    CHECK(count(fast, "im2col_read") == count(r.stats, "im2col_read"));
    if (r.stats.stall_cycles == 0) {
      ++no_stall;
      CHECK(fast.cycles == r.stats.cycles);
      CHECK(fast.prologue_cycles == r.stats.prologue_cycles);
      CHECK(count(fast, "im2col_bubble") == count(r.stats, "im2col_bubble"));
    }
    if (count(r.stats, "im2col_bubble") > 0) ++with_bubbles;
    // Some kernel row did not fit one bank and was cut into several loads.
    const systolic::SaGeometry geo = systolic::sa_geometry(arch, systolic::sa_shape(arch), p.job);
    const auto& g0 = p.job.groups[0];
    const auto plan = mapping::plan_folds(g0.M, g0.K / geo.block, g0.N, geo.plan);
    for (const auto& f : plan.folds)
      if (static_cast<int64_t>(geo.im2col_groups(f, false).size()) > l.R * geo.channel_blocks) {
        ++split_loads;
        break;
      }
  }
  // The sample must exercise the interesting schedules, or the checks above prove little.
  INFO("no-stall " << no_stall << " with bubbles " << with_bubbles << " split loads " << split_loads);
  WARN("im2col feeder: " << no_stall << " no-stall cases, " << with_bubbles << " with bubbles, "
                         << split_loads << " with split kernel rows");
  CHECK(no_stall > cases / 4);
  CHECK(with_bubbles > 0);
  CHECK(split_loads > 0);
}

TEST_CASE("IM2COL bank loads hold a kernel row when it fits and address every lane's pixel") {
  // 3x3, stride 1, pad 1 on a 6x6 input; a fold of 8 output pixels (row 0 and two of row 1), 2 channel
  // blocks.
  mapping::ConvWindow w{6, 6, 3, 3, 1, 1, 1, 1, 1, 6, 6, 1};
  const int64_t cb = 2, m0 = 0, m_len = 8;
  const auto whole = mapping::plan_im2col_groups(w, cb, m0, m_len, 0, 3 * cb * 3, 64, true);
  REQUIRE(whole.size() == 6);  // one load per (kernel row, channel block)
  for (const auto& g : whole) {
    CHECK(g.nb == 3);
    // Kernel row 0: output row 0 reads padding, output pixels (1,0) and (1,1) read input (0,0..2).
    if (g.r == 0) CHECK(g.pixels.size() == 3);
    if (g.r == 1) CHECK(g.pixels.size() == 6 + 3);  // all of input row 0, and (1,0..2)
    for (int64_t j = 0; j < g.nb; ++j)
      for (int64_t m = 0; m < m_len; ++m) {
        const uint32_t a = g.addr[static_cast<size_t>(j * m_len + m)];
        const int64_t oy = m / 6, ox = m % 6, iy = oy - 1 + g.r, ix = ox - 1 + g.s0 + j;
        const bool pad = iy < 0 || iy >= 6 || ix < 0 || ix >= 6;
        CHECK((a == 0) == pad);
        if (!pad) CHECK(g.pixels[a - 1] == iy * 6 + ix);
      }
  }
  // With m_len = 8 slots, kernel rows 1 and 2 (9 pixels each) are cut after two kernel columns.
  const auto cut = mapping::plan_im2col_groups(w, cb, m0, m_len, 0, 3 * cb * 3, m_len, false);
  CHECK(cut.size() == 10);
  int64_t blocks = 0;
  for (const auto& g : cut) {
    CHECK(g.pixel_count <= 8);
    CHECK(g.pixels.empty());  // not asked for
    blocks += g.nb;
  }
  CHECK(blocks == 18);
  // A fold that starts inside a kernel row begins a load there.
  const auto mid = mapping::plan_im2col_groups(w, cb, m0, m_len, 4, 5, 64, false);
  REQUIRE(mid.size() == 2);
  CHECK(mid[0].kb0 == 4);
  CHECK(mid[0].nb == 2);
  CHECK(mid[1].nb == 3);
}

namespace {

// S2TA: random convs and GEMM-shaped FC layers through the DAP unit and the time-unrolled TPE,
// bit-exact against golden on the DAP-pruned activations, and --fast == cycle when nothing stalls.
void s2ta_case(const ArchConfig& arch, int w_nnz, int a_nnz, uint64_t seed) {
  Rng rng(seed, "test:s2ta");
  systolic::SaArrayCore core(systolic::sa_shape(arch));
  for (int i = 0; i < 6; ++i) {
    Layer l = i % 3 == 2 ? Layer{} : test::random_conv(rng);
    if (i % 3 == 2) {
      l.name = "fc";
      l.op = OpType::Fc;
      l.C = rng.uniform(1, 40);
      l.K = rng.uniform(1, 20);
      l.batch = rng.uniform(1, 9);
    }
    l.w_nnz = w_nnz;
    l.a_nnz = a_nnz;
    const WeightScheme ws = weight_scheme(arch, l);
    REQUIRE(ws.dap);
    const PreparedJob p = prepare_array_layer(l, seed * 10 + i, ws);
    INFO(arch.name << " w " << w_nnz << " a " << a_nnz << " layer " << i << " C " << l.C << " groups "
                   << l.groups);
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    REQUIRE(test::compare_golden(r, p).empty());
    const LayerStats fast = systolic::sa_estimate(arch, p.job);
    CHECK(fast.sram_read_bytes.at("act") == r.stats.sram_read_bytes.at("act"));
    CHECK(fast.sram_read_bytes.at("wgt") == r.stats.sram_read_bytes.at("wgt"));
    CHECK(fast.actions.at("mac") == r.stats.actions.at("mac"));
    CHECK(fast.actions.at("dap_block") == r.stats.actions.at("dap_block"));
    CHECK(r.stats.actions.at("mac_active") + r.stats.actions.at("mac_gated") == r.stats.actions.at("mac"));
    if (r.stats.stall_cycles == 0) CHECK(fast.cycles == r.stats.cycles);
  }
}

}  // namespace

TEST_CASE("S2TA-AW joint DBB runs every weight and activation NNZ bit-exactly") {
  for (int w = 1; w <= 4; ++w)
    for (int a = 1; a <= 8; a += (a < 4 ? 1 : 4))
      s2ta_case(test::s2ta_arch(2, 3, 2, 2, "dbb", 4, a), w, a, w * 16 + a);
}

TEST_CASE("S2TA-A with dense weights and S2TA dense mode are bit-exact") {
  for (int a : {1, 3, 8}) s2ta_case(test::s2ta_arch(3, 2, 3, 2, "dense", 8, a), 8, a, 100 + a);
  // Dense weights on 4 weight slots: two passes per block (dense mode at half rate).
  s2ta_case(test::s2ta_arch(2, 2, 2, 2, "dbb", 4, 8), 8, 8, 200);
}

TEST_CASE("S2TA cycles follow the activation NNZ at constant utilization") {
  Layer l = test::random_conv(*std::make_unique<Rng>(5, "test:s2ta-util"));
  l.H = l.W = 14, l.C = 64, l.K = 32, l.R = l.S = 3, l.stride_h = l.stride_w = 1, l.dilation = 1,
  l.groups = 1;
  l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1, l.batch = 1, l.out_h = l.out_w = 14;
  int64_t cycles[2], mac[2];
  int k = 0;
  for (int a : {2, 6}) {
    const ArchConfig arch = test::s2ta_arch(4, 4, 2, 2, "dbb", 4, a);
    l.a_nnz = a;
    l.w_nnz = 4;
    systolic::SaArrayCore core(systolic::sa_shape(arch));
    const PreparedJob p = prepare_array_layer(l, 3, weight_scheme(arch, l));
    const ArrayJobResult r = test::run_engine(arch, core, p.job);
    CHECK(test::compare_golden(r, p).empty());
    cycles[k] = r.stats.cycles;
    mac[k++] = r.stats.actions.at("mac");
  }
  // 3x the kept activations: about 3x the cycles and the multiplier slots, same slots per cycle.
  CHECK(static_cast<double>(cycles[1]) / cycles[0] > 2.5);
  CHECK(std::abs(static_cast<double>(mac[0]) / cycles[0] - static_cast<double>(mac[1]) / cycles[1]) * 10 <
        static_cast<double>(mac[1]) / cycles[1]);
}

TEST_CASE("SA-ZVCG keeps the SA's cycles and counts exactly the MACs with two non-zero operands") {
  for (const bool tensor : {false, true}) {
    ArchConfig dense = tensor ? test::sta_arch(3, 2, 2, 8, 2, "dbb", 4) : test::sa_arch(5, 4, false);
    ArchConfig zvcg = dense;
    edit_systolic(zvcg).activations.mode = "zvcg";
    const PreparedJob p = prepare_gemm(37, 45, 19, 8, WeightScheme{sys(dense).tpe_b, tensor, tensor ? 3 : 1});
    // Sparse operands: a third of the activations and weights are zero.
    PreparedJob q = p;
    Rng rng(4, "test:zvcg");
    for (auto& g : q.job.groups) {
      for (auto& a : g.A.data)
        if (rng.uniform(0, 2) == 0) a = 0;
    }
    systolic::SaArrayCore c1(systolic::sa_shape(dense)), c2(systolic::sa_shape(zvcg));
    const ArrayJobResult r1 = test::run_engine(dense, c1, q.job), r2 = test::run_engine(zvcg, c2, q.job);
    CHECK(r1.stats.cycles == r2.stats.cycles);
    CHECK(r1.acc.data == r2.acc.data);
    // Without gating hardware every issued slot switches; with it, zero operands are gated.
    CHECK(r1.stats.actions.at("mult_active") == r1.stats.actions.at("mac"));
    CHECK(r1.stats.actions.at("mult_gated") == 0);
    const auto& act = r2.stats.actions;
    CHECK(act.at("mult_active") == act.at("mac_active"));
    CHECK(act.at("mult_gated") == act.at("mac_gated"));
    CHECK(act.at("mac_active") + act.at("mac_gated") == act.at("mac"));
    // Every (m, n, k) with two non-zero operands is one active multiplier slot, however it is mapped.
    int64_t both = 0;
    for (const auto& g : q.job.groups)
      for (int64_t m = 0; m < g.M; ++m)
        for (int64_t k = 0; k < g.K; ++k)
          if (g.A[m * g.K + k] != 0)
            for (int64_t n = 0; n < g.N; ++n) both += g.B[k * g.N + n] != 0;
    CHECK(act.at("mac_active") == both);
    CHECK(act.at("operand_toggle_bits") > 0);
  }
}

TEST_CASE("operand activity counts toggles per register and gated slots by hand") {
  systolic::SaShape s;
  s.rows = 1;
  s.cols = 2;
  systolic::SaActivity act(s);
  systolic::SaInputs in(s);
  std::map<std::string, int64_t> n;
  in.in_valid = true;
  in.a_in = {0x0F};
  in.a_mask = {1};
  in.w_in = {1, 0};
  in.w_mask = {1, 1};
  auto counts = [&] {
    n.clear();
    act.flush(n);
  };
  act.count(in);
  counts();
  // a: 4 bits flip, seen by the registers of 2 PEs; w: 1 bit flips, seen by 1 PE row.
  CHECK(n["operand_toggle_bits"] == 4 * 2 + 1 * 1);
  CHECK(n["mac_active"] == 1);
  CHECK(n["mac_gated"] == 1);
  act.count(in);  // same operands again: nothing toggles
  counts();
  CHECK(n["operand_toggle_bits"] == 9);
  in.clear_operands();  // idle edge: the buses return to 0
  act.count(in);
  counts();
  CHECK(n["operand_toggle_bits"] == 18);
  CHECK(n["mac_active"] == 2);
}

TEST_CASE("block_real_counts gives the real channels of every padded reduction block") {
  // RGB conv on blocks of 8 per kernel position: 3 real channels in each of the 9 blocks.
  Layer rgb = conv3x3(8, 3, 4, 1);
  const auto per_pos = mapping::block_real_counts(rgb, mapping::ReductionLayout{8, true, false});
  REQUIRE(per_pos.size() == 9);
  for (int32_t r : per_pos) CHECK(r == 3);
  // 20 channels per position: blocks of 8, 8, 4 at every position.
  Layer c20 = conv3x3(8, 20, 4, 1);
  const auto b20 = mapping::block_real_counts(c20, mapping::ReductionLayout{8, true, false});
  REQUIRE(b20.size() == 27);
  for (size_t i = 0; i < b20.size(); ++i) CHECK(b20[i] == (i % 3 == 2 ? 4 : 8));
  // Tail padding only (dense STA layout): K = 180 on blocks of 8 -> 22 full blocks and one of 4.
  const auto tail = mapping::block_real_counts(c20, mapping::ReductionLayout{8, false, false});
  REQUIRE(tail.size() == 23);
  CHECK(tail.back() == 4);
  int64_t sum = 0;
  for (int32_t r : tail) sum += r;
  CHECK(sum == 180);
  // Hardware-IM2COL order (r, channel block, s): still 3 x 3 x (8, 8, 4).
  const auto hw = mapping::block_real_counts(c20, mapping::ReductionLayout{8, true, true});
  int64_t hw_sum = 0;
  for (int32_t r : hw) hw_sum += r;
  CHECK(hw_sum == 180);
  CHECK(hw[0] == 8);
  CHECK(hw[6] == 4);  // r = 0, channel block 2, s = 0
}

TEST_CASE("cost inventory and derived actions follow the array structure") {
  // Scalar SA 4x4: 16 multipliers and accumulators, no adder trees or muxes.
  const ArchConfig sa = test::sa_arch(4, 4, false);
  double mults = 0, trees = 0, muxes = 0, acc_bits = 0;
  for (const auto& it : systolic::sa_inventory(sa)) {
    if (it.component == "mult_int8") mults += it.count;
    if (it.category == "adder trees") trees += it.count;
    if (it.category == "muxes and index logic") muxes += it.count;
    if (it.category == "accumulators" && it.component == "reg_bit") acc_bits += it.count;
  }
  CHECK(mults == 16);
  CHECK(trees == 0);
  CHECK(muxes == 0);
  CHECK(acc_bits == 16 * 32);
  // STA-DBB 2x8x2 on 2x2 with 4 multipliers per dot product behind 8:1 muxes.
  const ArchConfig dbb = test::sta_arch(2, 2, 2, 8, 2, "dbb", 4);
  mults = trees = muxes = 0;
  for (const auto& it : systolic::sa_inventory(dbb)) {
    if (it.component == "mult_int8") mults += it.count;
    if (it.category == "adder trees") trees += it.count;
    if (it.category == "muxes and index logic") muxes += it.count;
  }
  CHECK(mults == 4 * 2 * 2 * 4);          // TPEs x A x C x P
  CHECK(trees == 4 * 2 * 2 * 3);          // P - 1 adders per dot product
  CHECK(muxes == 4 * 2 * 2 * 4 * 7 * 8);  // an 8:1 mux of 8 bits per multiplier
  // Derived actions of a run: one accumulator update per dot product, P - 1 tree adds each.
  systolic::SaArrayCore core(systolic::sa_shape(dbb));
  const PreparedJob p = prepare_gemm(9, 40, 7, 3, WeightScheme{8, true, 4});
  const ArrayJobResult r = test::run_engine(dbb, core, p.job);
  const auto& a = r.stats.actions;
  CHECK(a.at("acc_update") * 4 == a.at("mac"));
  CHECK(a.at("adder_tree_add") == a.at("acc_update") * 3);
  CHECK(a.at("mux_select_bits") == a.at("mac") * 7 * 8);
  CHECK(a.at("mult_active") == a.at("mac"));  // no zero gating on this design
  CHECK(a.at("mult_gated") == 0);
  CHECK(a.at("operand_toggle_bits") > 0);
}
