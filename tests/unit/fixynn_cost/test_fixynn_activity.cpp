// Activity counts of a FixyNN stage over a frame (CSD digits, adds, line-buffer bits, register toggles),
// counted by hand on tiny stages, the --fast estimate, and their prices through sim/cost.
#include <catch2/catch.hpp>

#include "models/fixynn/fixynn_actions.h"
#include "models/fixynn/fixynn_activity.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "tests/rtl/fixynn/test_net.h"
#include "tests/unit/fixynn_cost/fixynn_cost_nets.h"

using namespace npusim;
using namespace npusim::fixynn;
using namespace npusim::fixynn::test;

namespace {

TensorI8 tensor(std::vector<int64_t> shape, std::vector<int8_t> data) {
  TensorI8 t(std::move(shape));
  t.data = std::move(data);
  return t;
}

// 1 x 3 input, 1 channel, a 1 x 3 kernel [3, 0, -17] with left padding 1, bias 5, input zero point 2.
FixedStage row_stage() {
  FixedStage s = make_stage(1, 3, make_conv(1, 3, 1, 1, {3, 0, static_cast<int8_t>(-17)}, {5}), 1, 0, 1);
  s.first.input_zero_point = 2;
  return s;
}

std::string tech_path() {
  return std::string(NPUSIM_SOURCE_DIR) + "/configs/tech/16nm.yaml";
}

}  // namespace

TEST_CASE("canonical signed digits of constant weights", "[fixynn]") {
  CHECK(csd_digits(0) == 0);
  CHECK(csd_digits(1) == 1);
  CHECK(csd_digits(64) == 1);
  CHECK(csd_digits(-128) == 1);
  CHECK(csd_digits(3) == 2);    // 4 - 1
  CHECK(csd_digits(7) == 2);    // 8 - 1
  CHECK(csd_digits(127) == 2);  // 128 - 1
  CHECK(csd_digits(11) == 3);   // 16 - 4 - 1
  CHECK(csd_digits(85) == 4);   // 64 + 16 + 4 + 1 (no adjacent digits to merge)
  CHECK(csd_digits(239) == 3);  // 256 - 16 - 1
  CHECK(csd_digits(-239) == 3);
  CHECK(csd_digits(-17) == 2);  // -16 - 1
  // Never more digits than binary ones, and never adjacent non-zero digits: at most ceil(bits / 2) + 1.
  for (int v = 1; v < 256; ++v) {
    CHECK(csd_digits(v) <= __builtin_popcount(static_cast<unsigned>(v)));
    CHECK(csd_digits(v) <= 5);
  }
  const double m = mean_int8_csd_digits();
  CHECK(m > 2.0);
  CHECK(m < 3.5);
}

TEST_CASE("activity of a tiny stage counted by hand", "[fixynn]") {
  const FixedStage s = row_stage();
  REQUIRE(s.OW == 3);
  // Input 15, 14, 112; output -1, 0, 1.
  const TensorI8 in = tensor({1, 3, 1}, {15, 14, 112});
  const TensorI8 out = tensor({1, 3, 1}, {-1, 0, 1});
  const StageActivity a = count_stage_activity(s, in, out);
  // Windows over columns ox-1 .. ox+1 with weights 3 (2 digits), 0, -17 (2 digits):
  //   ox 0: taps 1, 2 in bounds -> -17 only: 1 const add; terms 1 + bias = 2 -> 1 tree add; 1 used pair.
  //   ox 1: all in -> 3 and -17: 2 const adds; 3 terms -> 2 tree adds; 2 used pairs.
  //   ox 2: taps 0, 1 in -> 3 only: 1 const add; 1 tree add; 1 used pair.
  CHECK(a.input_pixels == 3);
  CHECK(a.output_pixels == 3);
  CHECK(a.const_mult_adds == 4);
  CHECK(a.tree_adds == 4);
  CHECK(a.zero_point_subs == 4);  // one per used pair (zero point 2)
  CHECK(a.requant_mults == 3);
  CHECK(a.lb_write_bits == 24);
  CHECK(a.lb_read_bits == 32);  // 4 pairs x 8 bits
  // 2 rows x 3 entries: a 6:1 mux, 3 levels per read bit.
  CHECK(a.lb_mux_bits == 96);
  // Toggles, cyclic: 112 -> 15: 0x70 ^ 0x0F = 7 bits, 15 -> 14: 1, 14 -> 112: 0x0E ^ 0x70 = 6.
  CHECK(a.in_reg_toggle_bits == 14);
  // 1 -> -1: 0x01 ^ 0xFF = 7, -1 -> 0: 8, 0 -> 1: 1.
  CHECK(a.out_reg_toggle_bits == 16);
  // One row, two buffer rows: the row overwrites itself from the previous (identical) frame.
  CHECK(a.lb_write_toggle_bits == 0);
  // A zero bias and zero point drop the bias add and the subtractors.
  FixedStage z = s;
  z.first.bias = {0};
  z.first.input_zero_point = 0;
  const StageActivity b = count_stage_activity(z, in, out);
  CHECK(b.tree_adds == 1);  // only ox 1 has two products
  CHECK(b.zero_point_subs == 0);
  // Wrong frame shapes are an error naming the stage.
  CHECK_THROWS_WITH(count_stage_activity(s, tensor({1, 2, 1}, {0, 0}), out), Catch::Contains("'hand'"));
}

TEST_CASE("line-buffer register toggles follow the row slots", "[fixynn]") {
  // 1x1 conv on a 3 x 1 frame: buffer_rows 2, rows 0 and 2 share slot 0. Row 0 overwrites row 2 of the
  // previous frame (0x01 ^ 0x03: 1 bit), row 1 its own previous value (0), row 2 overwrites row 0 (1 bit).
  const FixedStage s = make_stage(3, 1, make_conv(1, 1, 1, 1, {1}), 1, 0, 0);
  REQUIRE(s.buffer_rows() == 2);
  const StageActivity a =
      count_stage_activity(s, tensor({3, 1, 1}, {1, 127, 3}), tensor({3, 1, 1}, {0, 0, 0}));
  CHECK(a.lb_write_toggle_bits == 2);
  CHECK(raster_toggle_bits(tensor({2, 2}, {0, 0, -1, -1}), 2) == 32);
  CHECK(raster_toggle_bits(tensor({1}, {5}), 1) == 0);
  CHECK_THROWS_AS(raster_toggle_bits(tensor({3}, {0, 0, 0}), 2), InputError);
}

TEST_CASE("the fast estimate has the exact structure and assumed toggles and weights", "[fixynn]") {
  // With real weights the structural counts equal the frame's; toggles are toggle_rate of the bits.
  const FixedNet net = make_test_net(5, 7, 7);
  Rng rng(3, "fixynn_cost_input");
  TensorI8 in({7, 7, net.stages[0].in_channels()});
  for (int8_t& v : in.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  const std::vector<TensorI8> outs = golden_stages(net, in);
  for (size_t i = 0; i < net.stages.size(); ++i) {
    const FixedStage& st = net.stages[i];
    const StageActivity a = count_stage_activity(st, i == 0 ? in : outs[i - 1], outs[i]);
    const StageActivity f = estimate_stage_activity(st);
    INFO("stage " << i);
    CHECK(f.const_mult_adds == a.const_mult_adds);
    CHECK(f.tree_adds == a.tree_adds);
    CHECK(f.lb_read_bits == a.lb_read_bits);
    CHECK(f.requant_mults == a.requant_mults);
    CHECK(f.out_reg_toggle_bits == st.OH * st.OW * st.out_channels() * 4);
    CHECK(a.const_mult_adds > 0);
    CHECK(a.in_reg_toggle_bits > 0);
    // A frame no taller than the buffer rewrites every slot with the same (repeated) row.
    if (st.H > st.buffer_rows())
      CHECK(a.lb_write_toggle_bits > 0);
    else
      CHECK(a.lb_write_toggle_bits == 0);
  }
  // A shape-only 1x1 conv 2 -> 3 on 2 x 2: every weight non-zero with the mean CSD digits; bias adds.
  FixedStage shape = make_stage(2, 2, make_conv(1, 1, 2, 3, std::vector<int8_t>(6, 0)), 1, 0, 0);
  const StageActivity e = estimate_stage_activity(shape);
  CHECK(e.const_mult_adds == std::llround(4 * 6 * (mean_int8_csd_digits() - 1)));
  CHECK(e.tree_adds == 4 * 3 * 2);  // 2 products + bias per channel and pixel
  CHECK(e.requant_mults == 12);
  const StageActivity half = estimate_stage_activity(shape, {0.5, 0.25});
  CHECK(half.tree_adds == 4 * 3 * 1);  // 1 expected product + bias
  CHECK(half.in_reg_toggle_bits == 4 * 2 * 8 / 4);
  CHECK_THROWS_AS(estimate_stage_activity(shape, {1.5, 0.5}), InputError);
}

TEST_CASE("every action is priced, line buffers as registers or SRAM", "[fixynn]") {
  const cost::TechTable tech = cost::TechTable::load(tech_path());
  const FixedNet net = make_test_net(9, 7, 7);
  for (const char* lb : {"registers", "sram"}) {
    INFO(lb);
    LayerStats st;
    st.name = "front end";
    st.cycles = 100;
    for (size_t i = 0; i < net.stages.size(); ++i)
      add_stage_actions(estimate_stage_activity(net.stages[i]), i, i == 0, lb, st);
    const auto memories = fixynn_memories(net, lb);
    const cost::AreaReport area = cost::price_area(tech, memories, fixynn_inventory(net, lb));
    const cost::EnergyReport e = cost::price_layer(tech, fixynn_actions(), memories, 810, st, area);
    CHECK(e.by_category_pj.at("FixyNN constant multipliers") > 0);
    CHECK(e.by_category_pj.at("FixyNN adder trees") > 0);
    CHECK(e.by_category_pj.at("FixyNN requantization") > 0);
    CHECK(e.by_category_pj.at("FixyNN pipeline registers") > 0);
    CHECK(area.by_category_um2.at("FixyNN constant multipliers") > 0);
    if (std::string(lb) == "sram") {
      REQUIRE(memories.size() == 2);
      CHECK(e.by_category_pj.at("SRAM fixynn_lb0") > 0);
      CHECK(area.sram_um2 > 0);
    } else {
      CHECK(memories.empty());
      CHECK(e.by_category_pj.at("FixyNN line buffers") > 0);
      CHECK(area.by_category_um2.at("FixyNN line buffers") > 0);
    }
  }
  // Every action add_stage_actions reports has a price entry.
  LayerStats st;
  add_stage_actions(StageActivity{}, 0, true, "registers", st);
  for (const auto& [name, count] : st.actions) CHECK(fixynn_actions().count(name) == 1);
  CHECK_THROWS_AS(add_stage_actions(StageActivity{}, 0, true, "flops", st), InputError);
}

TEST_CASE("the front end's component inventory counted by hand", "[fixynn]") {
  FixedNet net;
  net.stages.push_back(row_stage());
  double add16 = 0, add32 = 0, mult32 = 0, reg = 0, mux = 0;
  for (const auto& it : fixynn_inventory(net, "registers")) {
    if (it.component == "add16") add16 += it.count;
    if (it.component == "add32") add32 += it.count;
    if (it.component == "mult_int32") mult32 += it.count;
    if (it.component == "reg_bit") reg += it.count;
    if (it.component == "mux2_bit") mux += it.count;
  }
  // Weights 3 and -17 (2 CSD digits each): 2 constant-multiplier adds, plus 2 zero-point subtractors
  // (2 used taps, zero point 2); 2 products + bias: 2 tree adds; 1 requantization.
  CHECK(add16 == 4);
  CHECK(add32 == 2);
  CHECK(mult32 == 1);
  // Output register 8 + line buffer 2 rows x 3 x 8 + input register 8; two taps read through 6:1 muxes.
  CHECK(reg == 8 + 48 + 8);
  CHECK(mux == 2 * 8 * 5);
  double sram_regs = 0;
  for (const auto& it : fixynn_inventory(net, "sram"))
    if (it.component == "reg_bit") sram_regs += it.count;
  CHECK(sram_regs == 16);
  REQUIRE(fixynn_memories(net, "sram").size() == 1);
  CHECK(fixynn_memories(net, "sram")[0].kib == Approx(48.0 / 8192));
}
