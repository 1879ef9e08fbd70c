// The authors' per-bit PPA model (DeepFreeze model_ppa.py) on a hand-built two-stage net, the constants
// read from the technology table, and a missing table entry.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/fixynn/fixynn_ppa.h"
#include "sim/common/error.h"
#include "sim/cost/tech_scaling.h"
#include "tests/unit/fixynn_cost/fixynn_cost_nets.h"

using namespace npusim;
using namespace npusim::fixynn;
using namespace npusim::fixynn::test;

namespace {

std::string tech_path(const std::string& node) {
  return std::string(NPUSIM_SOURCE_DIR) + "/configs/tech/" + node + ".yaml";
}

// `n` non-zero weights (values 1..n) at the start of `size` entries.
std::vector<int8_t> weights(size_t size, int n) {
  std::vector<int8_t> w(size, 0);
  for (int i = 0; i < n; ++i)
    w[static_cast<size_t>(i) * size / static_cast<size_t>(n)] = static_cast<int8_t>(i + 1);
  return w;
}

// Stage 0: 3x3 stride-1 pad-1 conv 2 -> 3 on 4x4, 10 non-zero weights. Stage 1: fused depthwise 3x3
// stride 2 (5 non-zero) + 1x1 3 -> 2 (4 non-zero) on 4x4x3.
FixedNet hand_net() {
  FixedNet net;
  net.stages.push_back(make_stage(4, 4, make_conv(3, 3, 2, 3, weights(54, 10)), 1, 1, 1));
  FixedStage s1 = make_stage(4, 4, make_conv(3, 3, 3, 3, weights(27, 5), {}, true), 2, 1, 1);
  s1.fused = true;
  s1.second = make_conv(1, 1, 3, 2, weights(6, 4));
  net.stages.push_back(s1);
  return net;
}

}  // namespace

TEST_CASE("the authors' PPA figures of a hand-computed net", "[fixynn]") {
  const cost::TechTable tech = cost::TechTable::load(tech_path("16nm"));
  const FixedNet net = hand_net();
  REQUIRE(net.stages[1].OH == 2);
  const FixedPpa p = fixynn_ppa(net, tech);
  REQUIRE(p.stages.size() == 2);
  // Stage 0: nnz 10 -> 10 x 8 x 8 = 640 MAC bits: 640 x 2.05e-7 = 1.312e-4 mm2, 640 x 5.79e-8 = 3.7056e-5 W.
  // SRAM H x Kh x Kw x a = 4 x 3 x 3 x 8 = 288 bits, register buffer C x 3 x 3 x 8 = 144 bits:
  // 432 x 1.62e-6 = 6.9984e-4 mm2, 432 x 4e-7 = 1.728e-4 W. npusim: 4 rows x 4 x 2 x 8 = 256 bits.
  const StagePpa& a = p.stages[0];
  CHECK(a.nnz_weights == 10);
  CHECK(a.mac_area_mm2 == Approx(1.312e-4));
  CHECK(a.mac_power_w == Approx(3.7056e-5));
  CHECK(a.sram_bits == 288);
  CHECK(a.reg_buffer_bits == 144);
  CHECK(a.buffer_area_mm2 == Approx(6.9984e-4));
  CHECK(a.buffer_power_w == Approx(1.728e-4));
  CHECK(a.area_mm2() == Approx(8.3104e-4));
  CHECK(a.power_w() == Approx(2.09856e-4));
  CHECK(a.npusim_buffer_bits == 256);
  CHECK(a.npusim_buffer_area_mm2 == Approx(4.1472e-4));
  CHECK(a.npusim_buffer_power_w == Approx(1.024e-4));
  CHECK(a.cycles == 16);
  // Stage 1 (fused): nnz 5 + 4 = 9 -> 576 bits: 1.1808e-4 mm2, 3.33504e-5 W. SRAM 4 x 9 x 8 = 288,
  // register 3 x 9 x 8 = 216: 504 bits -> 8.1648e-4 mm2, 2.016e-4 W. npusim 4 x 4 x 3 x 8 = 384 bits.
  const StagePpa& b = p.stages[1];
  CHECK(b.nnz_weights == 9);
  CHECK(b.mac_area_mm2 == Approx(1.1808e-4));
  CHECK(b.mac_power_w == Approx(3.33504e-5));
  CHECK(b.reg_buffer_bits == 216);
  CHECK(b.buffer_area_mm2 == Approx(8.1648e-4));
  CHECK(b.buffer_power_w == Approx(2.016e-4));
  CHECK(b.npusim_buffer_bits == 384);
  // Totals: 8.3104e-4 + 9.3456e-4 mm2, 2.09856e-4 + 2.349504e-4 W; 16 input pixels / 810 MHz.
  CHECK(p.area_mm2 == Approx(1.7656e-3));
  CHECK(p.power_w == Approx(4.448064e-4));
  CHECK(p.npusim_area_mm2 == Approx(1.312e-4 + 4.1472e-4 + 1.1808e-4 + 6.2208e-4));
  CHECK(p.frame_time_us == Approx(16.0 / 810.0));
}

TEST_CASE("the DeepFreeze constants come uncalibrated from the table and scale to other nodes", "[fixynn]") {
  const cost::TechTable t16 = cost::TechTable::load(tech_path("16nm"));
  const DeepFreezeConstants k = deepfreeze_constants(t16);
  CHECK(k.mac_area_mm2 == Approx(2.05e-7));
  CHECK(k.mac_power_w == Approx(5.79e-8));
  CHECK(k.sram_area_mm2 == Approx(1.62e-6));
  CHECK(k.sram_power_w == Approx(4.0e-7));
  CHECK(k.reg_area_mm2 == Approx(1.62e-6));
  CHECK(k.reg_power_w == Approx(4.0e-7));
  // At another clock the same energy per cycle is proportionally more power.
  CHECK(deepfreeze_constants(t16, 1620).mac_power_w == Approx(2 * 5.79e-8));
  const cost::TechTable t65 = cost::TechTable::load(tech_path("65nm"));
  const cost::ScaleFactors f = cost::tech_scale(16, 65);
  const DeepFreezeConstants k65 = deepfreeze_constants(t65);
  CHECK(k65.mac_area_mm2 == Approx(2.05e-7 * f.area));
  CHECK(k65.sram_power_w == Approx(4.0e-7 * f.energy));
}

TEST_CASE("a tech table without a DeepFreeze entry is an error naming it", "[fixynn]") {
  std::ifstream in(tech_path("16nm"));
  std::stringstream out;
  std::string line;
  while (std::getline(in, line))
    if (line.find("fixynn_df_sram_bit") == std::string::npos) out << line << "\n";
  const auto dir = std::filesystem::temp_directory_path() / "npusim_fixynn_cost_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "16nm.yaml").string();
  std::ofstream(path) << out.str();
  const cost::TechTable t = cost::TechTable::load(path);
  CHECK_THROWS_WITH(deepfreeze_constants(t), Catch::Contains("fixynn_df_sram_bit"));
  CHECK_THROWS_AS(fixynn_ppa(hand_net(), t), InputError);
}
