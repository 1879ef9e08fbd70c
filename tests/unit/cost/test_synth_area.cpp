// yosys synthesis + area estimate (sim/cost/synth_area.*): sanity of the counts on small scalar
// sa_arrays, monotonicity in array size and node, and the InputError paths. About 5 s in total; the
// tests that need yosys are skipped with a warning when it is not installed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

#include "sim/common/error.h"
#include "sim/cost/synth_area.h"

using namespace npusim;
using namespace npusim::cost;
namespace fs = std::filesystem;

namespace {

bool have_yosys() {
  try {
    yosys_version();
    return true;
  } catch (const InputError&) {
    return false;
  }
}

std::string work_dir(const std::string& leaf) {
  return std::string(NPUSIM_SYNTH_TEST_WORK_DIR) + "/" + leaf;
}

// The OS scalar array of rtl/systolic (A = B = C = P = 1 by default).
SynthSpec sa_array_spec(int rows, int cols, const std::string& leaf) {
  SynthSpec s;
  s.top = "sa_array";
  s.sources = {std::string(NPUSIM_SOURCE_DIR) + "/rtl/systolic/sa_pe.v",
               std::string(NPUSIM_SOURCE_DIR) + "/rtl/systolic/sa_array.v"};
  s.params = {{"ROWS", std::to_string(rows)}, {"COLS", std::to_string(cols)}, {"DATAFLOW", "0"}};
  s.work_dir = work_dir(leaf);
  return s;
}

}  // namespace

TEST_CASE("synth_area counts cells transistors and flip-flops of scalar sa_arrays") {
  if (!have_yosys()) {
    WARN("yosys not installed: skipped");
    return;
  }
  SynthResult r1 = synth_area(sa_array_spec(1, 1, "sa_1x1"), "16nm");
  SynthResult r2 = synth_area(sa_array_spec(2, 2, "sa_2x2"), "16nm");
  for (const SynthResult* r : {&r1, &r2}) {
    CHECK(r->cells > 0);
    CHECK(r->transistors > 0);
    CHECK(r->area_um2 > 0.0);
    CHECK(r->node == "16nm");
    CHECK(fs::exists(r->log_path));
    int64_t sum = std::accumulate(r->cell_types.begin(), r->cell_types.end(), int64_t{0},
                                  [](int64_t a, const auto& kv) { return a + kv.second; });
    CHECK(sum == r->cells);
    // Every transistor count covers at least the flip-flops (16 T each in the CMOS mapping).
    CHECK(r->transistors > 16 * r->flip_flops);
  }
  // Each OS PE holds at least an 8-bit activation, an 8-bit weight and a 32-bit accumulator.
  CHECK(r1.flip_flops >= 1 * (8 + 8 + 32));
  CHECK(r2.flip_flops >= 4 * (8 + 8 + 32));
  // ... and not wildly more (skew chains and output registers: well under 2x).
  CHECK(r2.flip_flops < 2 * 4 * (8 + 8 + 32) + 4 * 64);
  CHECK(r2.cells > r1.cells);
  CHECK(r2.transistors > r1.transistors);
  CHECK(r2.area_um2 > r1.area_um2);
  CHECK(r2.flip_flops > r1.flip_flops);
}

TEST_CASE("synth_area converts transistors with the node table and utilization") {
  CHECK(tech_node("16nm").name == "16nm");
  CHECK(tech_node("16").name == "16nm");
  CHECK(tech_node(" 45NM ").name == "45nm");
  CHECK(tech_nodes().size() == 4);
  // Older nodes have larger transistors.
  for (size_t i = 1; i < tech_nodes().size(); ++i)
    CHECK(tech_nodes()[i].um2_per_transistor < tech_nodes()[i - 1].um2_per_transistor);
  if (!have_yosys()) {
    WARN("yosys not installed: skipped");
    return;
  }
  SynthSpec spec = sa_array_spec(1, 1, "sa_1x1_45nm");
  SynthResult a = synth_area(spec, "45nm");
  CHECK(a.area_um2 == Approx(a.transistors * tech_node("45nm").um2_per_transistor));
  SynthOptions opts;
  opts.utilization = 0.7;
  opts.check_assert = false;
  SynthResult b = synth_area(spec, "45nm", opts);
  CHECK(b.transistors == a.transistors);
  CHECK(b.area_um2 == Approx(a.area_um2 / 0.7));
}

TEST_CASE("synth_area rejects a missing source file with InputError") {
  SynthSpec spec = sa_array_spec(1, 1, "bad_source");
  spec.sources.push_back("/nonexistent/dir/no_such_file.v");
  CHECK_THROWS_AS(synth_area(spec, "16nm"), InputError);
  CHECK_THROWS_WITH(synth_area(spec, "16nm"), Catch::Contains("no_such_file.v"));
}

TEST_CASE("synth_area rejects an unknown node and bad options with InputError") {
  CHECK_THROWS_AS(tech_node("7nm"), InputError);
  SynthSpec spec = sa_array_spec(1, 1, "bad_node");
  CHECK_THROWS_WITH(synth_area(spec, "3nm"), Catch::Contains("3nm"));
  SynthOptions opts;
  opts.utilization = 1.5;
  CHECK_THROWS_AS(synth_area(spec, "16nm", opts), InputError);
  spec.params.push_back({"ROWS", "1\nshell rm -rf /"});
  CHECK_THROWS_AS(synth_area(spec, "16nm"), InputError);
}

TEST_CASE("synth_area reports a missing yosys executable with InputError") {
  SynthOptions opts;
  opts.yosys = "/nonexistent/bin/yosys";
  CHECK_THROWS_WITH(synth_area(sa_array_spec(1, 1, "no_yosys"), "16nm", opts), Catch::Contains("yosys"));
  CHECK_THROWS_AS(yosys_version("/nonexistent/bin/yosys"), InputError);
}

TEST_CASE("synth_area turns a yosys failure into InputError") {
  if (!have_yosys()) {
    WARN("yosys not installed: skipped");
    return;
  }
  fs::create_directories(work_dir("broken"));
  const std::string bad = work_dir("broken") + "/broken.v";
  {
    std::ofstream v(bad);
    v << "module broken(input a, output y);\n  assign y = a &&& ;\nendmodule\n";
  }
  SynthSpec spec;
  spec.top = "broken";
  spec.sources = {bad};
  spec.work_dir = work_dir("broken");
  CHECK_THROWS_WITH(synth_area(spec, "16nm"), Catch::Contains("yosys failed") && Catch::Contains("broken"));
  // A top module that does not exist in valid sources.
  SynthSpec wrong_top = sa_array_spec(1, 1, "wrong_top");
  wrong_top.top = "no_such_module";
  wrong_top.params.clear();
  CHECK_THROWS_WITH(synth_area(wrong_top, "16nm"), Catch::Contains("no_such_module"));
}

TEST_CASE("yosys_version names yosys") {
  if (!have_yosys()) {
    WARN("yosys not installed: skipped");
    return;
  }
  CHECK(yosys_version().rfind("Yosys ", 0) == 0);
}
