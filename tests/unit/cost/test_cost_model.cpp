// The energy and area model: node scaling (monotonic, round trip, table points), the technology
// tables (every shipped entry has a unit and a source, unknown components and bad files are errors),
// and the pricing (every action is priced or declared count-only; an unknown action is an error).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/common/error.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/tech_scaling.h"
#include "sim/cost/tech_table.h"

using namespace npusim;
using namespace npusim::cost;

namespace {
std::string tech(const std::string& node) {
  return std::string(NPUSIM_SOURCE_DIR) + "/configs/tech/" + node + ".yaml";
}

std::string write_tmp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "npusim_cost_test";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}
}  // namespace

TEST_CASE("node scaling is monotonic and round-trips and hits the published table points") {
  const double nodes[] = {65, 45, 40, 32, 28, 22, 16, 14, 10, 7};
  for (size_t i = 0; i + 1 < std::size(nodes); ++i) {
    const ScaleFactors f = tech_scale(nodes[i], nodes[i + 1]);
    INFO(nodes[i] << " -> " << nodes[i + 1]);
    CHECK(f.energy < 1.0);  // smaller node: less energy and area per component
    CHECK(f.area < 1.0);
  }
  for (double a : nodes)
    for (double b : nodes) {
      const ScaleFactors ab = tech_scale(a, b), ba = tech_scale(b, a);
      CHECK(ab.energy * ba.energy == Approx(1.0).epsilon(1e-12));
      CHECK(ab.area * ba.area == Approx(1.0).epsilon(1e-12));
    }
  // Stillmaker & Baas via hwcomponents (energy_area_numbers.md 3.6).
  CHECK(tech_scale(45, 16).energy == Approx(0.174));
  CHECK(tech_scale(45, 16).area == Approx(0.190));
  CHECK(tech_scale(45, 65).energy == Approx(1.241));
  CHECK(tech_scale(40, 45).area == Approx(1.462));
  // 14 nm lies strictly between 16 and 7 nm.
  CHECK(tech_scale(45, 14).energy < 0.174);
  CHECK(tech_scale(45, 14).energy > 0.094);
  CHECK_THROWS_AS(tech_scale(45, 5), InputError);
  CHECK_THROWS_AS(parse_node_nm("sixteen", "x"), InputError);
  CHECK(parse_node_nm("16nm", "x") == 16);
  CHECK(parse_node_nm(" 65 nm", "x") == 65);
}

TEST_CASE("shipped tech tables load and every entry carries a unit and a source") {
  for (const char* node : {"16nm", "65nm", "14nm"}) {
    const TechTable t = TechTable::load(tech(node));
    CHECK(t.node() == node);
    for (const auto& r : t.rows()) {
      INFO(node << " " << r.section << " " << r.name);
      CHECK_FALSE(r.unit.empty());
      CHECK(r.source.size() > 10);
      CHECK(r.scaled > 0);
    }
    // Energies are scaled from their published node and calibrated; DRAM is off-chip.
    CHECK(t.energy_pj("dram_bit") == Approx(8.0));
    CHECK(t.energy_pj("mult_int8") ==
          Approx(0.539 * tech_scale(40, t.node_nm()).energy * t.logic_energy_factor()));
    CHECK(t.area_um2("mult_int8") == Approx(287.5 * tech_scale(40, t.node_nm()).area));
    // SRAM: bigger macros cost more per bit and more area; interpolation is monotonic.
    double last_pj = 0, last_mm2 = 0;
    for (double kib : {1.0, 2.0, 16.0, 128.0, 512.0, 1024.0, 4096.0}) {
      const SramCost c = t.sram(kib);
      CHECK(c.read_pj_per_bit >= last_pj);
      CHECK(c.area_mm2 > last_mm2);
      last_pj = c.read_pj_per_bit;
      last_mm2 = c.area_mm2;
    }
  }
  // 65 nm costs more than 16 nm for the same component.
  CHECK(TechTable::load(tech("65nm")).energy_pj("add32") > TechTable::load(tech("16nm")).energy_pj("add32"));
}

TEST_CASE("a component with no entry is an error naming it") {
  const TechTable t = TechTable::load(tech("16nm"));
  try {
    t.energy_pj("flux_capacitor");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("'flux_capacitor'") != std::string::npos);
    CHECK(std::string(e.what()).find("16nm.yaml") != std::string::npos);
  }
  CHECK_THROWS_AS(t.area_um2("flux_capacitor"), InputError);
}

TEST_CASE("bad tech tables are one-line InputErrors naming file and key") {
  std::string good;
  {
    std::ifstream in(tech("16nm"));
    good.assign(std::istreambuf_iterator<char>(in), {});
  }
  struct Case {
    std::string text, needle;
  };
  auto replace = [&](const std::string& a, const std::string& b) {
    std::string s = good;
    const size_t i = s.find(a);
    REQUIRE(i != std::string::npos);
    return s.replace(i, a.size(), b);
  };
  const std::vector<Case> cases = {
      {replace("unit: pJ, at: 40nm, source: \"Accelergy aladdin plug-in data/multiplier.csv",
               "unit: fJ, at: 40nm, source: \"x"),
       "unit 'fJ', expected 'pJ'"},
      {replace("mult_gated: {value: 0.01798,", "mult_gated: {value: -1,"), "non-negative number"},
      {replace("node: 16nm", "node: sixteen"), "technology node"},
      {replace("node: 16nm", "node: 16nm\ncolour: blue"), "unknown key 'colour'"},
      {replace("at: 40nm, source: \"Accelergy aladdin plug-in data/adder.csv, 32-bit adder, 5 ns row",
               "at: 3nm, source: \"x"),
       "outside the scaling table"},
      {"node: 16nm\nenergy: {}\n", "missing required key 'area'"},
      {"[1, 2", "YAML syntax error"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string p = write_tmp("bad" + std::to_string(i) + ".yaml", cases[i].text);
    INFO(cases[i].needle);
    try {
      TechTable::load(p);
      FAIL("no error");
    } catch (const InputError& e) {
      const std::string what = e.what();
      CHECK(what.find(p) != std::string::npos);
      CHECK(what.find(cases[i].needle) != std::string::npos);
      CHECK(what.find('\n') == std::string::npos);
    }
  }
  CHECK_THROWS_AS(TechTable::load("/nonexistent/tech.yaml"), InputError);
}

TEST_CASE("pricing charges every priced action and refuses an unknown one") {
  const TechTable t = TechTable::load(tech("16nm"));
  // A family's action table and memories as the pricer sees them (any names).
  const ActionTable actions = {{"mult_active", {"MACs active", {{"mult_int8", 1}}}},
                               {"mult_gated", {"MACs gated", {{"mult_gated", 1}}}},
                               {"acc_update", {"accumulators", {{"add32", 1}, {"reg_bit", 32}}}},
                               {"mac", {}}};
  const std::vector<Memory> mems = {{"act", 64}, {"wgt", 64}, {"out", 64}};
  const AreaReport area = price_area(t, mems, {{"multipliers", "mult_int8", 16}});
  CHECK(area.by_category_um2.at("multipliers") == Approx(16 * t.area_um2("mult_int8")));
  CHECK(area.sram_um2 == Approx(3 * t.sram(64).area_mm2 * 1e6));
  LayerStats st;
  st.name = "l";
  st.cycles = 1000;
  st.actions = {{"mult_active", 100}, {"mult_gated", 50}, {"mac", 150}, {"acc_update", 10}};
  st.sram_read_bytes["act"] = 64;
  st.dram_read_bytes = 16;
  const EnergyReport e = price_layer(t, actions, mems, 1000, st, area);
  CHECK(e.by_category_pj.at("MACs active") == Approx(100 * t.energy_pj("mult_int8")));
  CHECK(e.by_category_pj.at("MACs gated") == Approx(50 * t.energy_pj("mult_gated")));
  CHECK(e.by_category_pj.at("accumulators") ==
        Approx(10 * (t.energy_pj("add32") + 32 * t.energy_pj("reg_bit"))));
  CHECK(e.by_category_pj.at("SRAM act") == Approx(64 * 8 * t.sram(64).read_pj_per_bit));
  CHECK(e.by_category_pj.at("DRAM") == Approx(16 * 8 * 8.0));
  CHECK(e.by_category_pj.at("leakage") > 0);
  double sum = 0;
  for (const auto& [k, v] : e.by_category_pj) sum += v;
  CHECK(e.total_pj == Approx(sum));
  st.actions["warp_drive"] = 1;
  try {
    price_layer(t, actions, mems, 1000, st, area);
    FAIL("no error");
  } catch (const InputError& err) {
    CHECK(std::string(err.what()).find("'warp_drive'") != std::string::npos);
  }
  // Traffic through a memory the design does not have is an error too.
  st.actions.erase("warp_drive");
  st.sram_read_bytes["l2"] = 8;
  try {
    price_layer(t, actions, mems, 1000, st, area);
    FAIL("no error");
  } catch (const InputError& err) {
    CHECK(std::string(err.what()).find("'l2'") != std::string::npos);
  }
}
