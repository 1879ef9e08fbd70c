// Bad sweep specs: one-line InputErrors naming the spec file, the line and the key.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/unit/sweep_spec/sweep_test_util.h"

using namespace npusim;
using npusim::test::check_message;
using npusim::test::input_error;
using npusim::test::SweepDir;

TEST_CASE("bad specs are one-line InputErrors naming file, line and key", "[spec]") {
  SweepDir d;
  const std::string head = "base: base.yaml\nworkloads: [w.csv]\n";
  const std::string axes = "axes:\n  tpe.a: [1, 2]\n";
  struct Case {
    const char* what;
    std::string text;  // the whole spec
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases = {
      {"unknown top-level key", head + axes + "sweeep: 1\n", {"s.yaml:5:", "'sweeep'", "unknown key"}},
      {"duplicate top-level key",
       head + axes + "axes:\n  tpe.c: [1]\n",
       {"s.yaml:5:", "axes", "duplicate key"}},
      {"missing base file",
       "base: nope.yaml\nworkloads: [w.csv]\n" + axes,
       {"s.yaml:1:", "base", "no such file 'nope.yaml'"}},
      {"broken base config", "base: w.csv\nworkloads: [w.csv]\n" + axes, {"s.yaml:1:", "base", "w.csv"}},
      {"missing workload file",
       "base: base.yaml\nworkloads: [w.csv, gone.csv]\n" + axes,
       {"s.yaml:2:", "workloads", "no such file 'gone.csv'"}},
      {"workload of another kind",
       "base: base.yaml\nworkloads: [base.yaml]\n" + axes,
       {"s.yaml:2:", "workloads", "expected a .csv or .tflite file"}},
      {"axis key the family does not declare",
       head + "axes:\n  tpe.d: [1, 2]\n",
       {"s.yaml:4:", "tpe.d", "--set tpe.d: unknown key (family systolic)"}},
      {"axis value the loader rejects",
       head + "axes:\n  tpe.a: [1, zero]\n",
       {"s.yaml:4:", "tpe.a", "value 'zero'", "--set tpe.a", "expected a positive integer, got 'zero'"}},
      {"choice value the loader rejects",
       head + "axes:\n  dataflow: [os, rs]\n",
       {"s.yaml:4:", "dataflow", "value 'rs'", "expected one of os, ws"}},
      {"empty axes", head + "axes: {}\n", {"s.yaml:3:", "axes", "non-empty mapping"}},
      {"empty value list", head + "axes:\n  tpe.a: []\n", {"s.yaml:4:", "tpe.a", "empty list"}},
      {"range step 0",
       head + "axes:\n  tpe.a: {from: 1, to: 4, step: 0}\n",
       {"s.yaml:4:", "tpe.a", "step must be > 0"}},
      {"range from > to",
       head + "axes:\n  tpe.a: {from: 8, to: 4, step: 1}\n",
       {"s.yaml:4:", "tpe.a", "from 8 > to 4"}},
      {"range factor <= 1",
       head + "axes:\n  tpe.a: {from: 1, to: 8, factor: 1}\n",
       {"s.yaml:4:", "tpe.a", "factor must be > 1, got 1"}},
      {"range with step and factor",
       head + "axes:\n  tpe.a: {from: 1, to: 8, step: 1, factor: 2}\n",
       {"s.yaml:4:", "tpe.a", "either step"}},
      {"range bound not a number",
       head + "axes:\n  tpe.a: {from: one, to: 8, step: 1}\n",
       {"s.yaml:4:", "tpe.a", "from: expected a number"}},
      {"unknown range key",
       head + "axes:\n  tpe.a: {from: 1, to: 8, stride: 1}\n",
       {"s.yaml:4:", "tpe.a", "unknown range key 'stride'"}},
      {"zip lists of unequal length",
       head + "axes:\n  shape:\n    zip: {tpe.a: [2, 4], array.rows: [8]}\n",
       {"s.yaml:5:", "shape.array.rows", "zip lists of unequal length (1 values, tpe.a has 2)"}},
      {"zip with other keys",
       head + "axes:\n  shape:\n    zip: {tpe.a: [2]}\n    more: 1\n",
       {"s.yaml:5:", "shape", "only the key 'zip'"}},
      {"key in two axes",
       head + "axes:\n  tpe.a: [1]\n  s:\n    zip: {tpe.a: [2]}\n",
       {"s.yaml:5:", "tpe.a", "varied by two axes (lines 4 and 5)"}},
      {"unparsable constraint",
       head + axes + "constraints:\n  - \"tpe.a * == 4\"\n",
       {"s.yaml:6:", "constraints", "'tpe.a * == 4' at position 9", "expected a value"}},
      {"constraint naming an unknown key",
       head + axes + "constraints:\n  - \"tpe.a * tpe.q == 4\"\n",
       {"s.yaml:6:", "constraints", "at position 9", "unknown key 'tpe.q'", "area_mm2"}},
      {"constraint comparing a string with a number",
       head + axes + "constraints:\n  - \"dataflow == 1\"\n",
       {"s.yaml:6:", "constraints", "'dataflow == 1' at position 10", "compares a string with a number"}},
      {"random budget < 1",
       head + axes + "sampling: {mode: random, points: 0}\n",
       {"s.yaml:5:", "sampling.points", "at least 1 point"}},
      {"random without a budget",
       head + axes + "sampling: {mode: random}\n",
       {"s.yaml:5:", "sampling.points", "at least 1 point"}},
      {"unknown sampling mode",
       head + axes + "sampling: {mode: sobol}\n",
       {"s.yaml:5:", "sampling.mode", "'sobol'"}},
      {"unknown option",
       head + axes + "options: {fastest: true}\n",
       {"s.yaml:5:", "options.fastest", "unknown option"}},
      {"bad option value", head + axes + "options: {w_nnz: 99}\n", {"s.yaml:5:", "options.w_nnz", "0..15"}},
      {"bad option axis value",
       head + "axes:\n  options.fast: [true, maybe]\n",
       {"s.yaml:4:", "options.fast", "expected true or false, got 'maybe'"}},
      {"impossible constraints",
       head + axes + "constraints:\n  - \"tpe.a > 2\"\n  - \"tpe.a < 10\"\n",
       {"s.yaml:4:", "no point of the 2-point grid satisfies the constraints", "line 6 'tpe.a > 2'",
        "line 7 'tpe.a < 10'"}},
      {"grid too large",
       head + "axes:\n  tpe.a: {from: 1, to: 2000, step: 1}\n  tpe.c: {from: 1, to: 1000, step: 1}\n",
       {"s.yaml:4:", "axes", "2000000 points", "mode: random"}},
      {"YAML syntax error", head + "axes: [\n", {"s.yaml:", "YAML syntax error"}},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.what);
    const std::string path = d.tmp.write("s.yaml", c.text);
    const std::string msg = input_error([&] { expand_sweep(load_sweep_spec(path)); });
    check_message(msg, c.needles);
    CHECK_THAT(msg, Catch::Matchers::StartsWith(path));
  }
}

TEST_CASE("a missing spec or a missing required key names the file", "[spec]") {
  SweepDir d;
  check_message(input_error([&] { load_sweep_spec(d.tmp.path("none.yaml")); }),
                {"none.yaml", "cannot open sweep spec"});
  check_message(
      input_error([&] { load_sweep_spec(d.tmp.write("m.yaml", "base: base.yaml\naxes: {tpe.a: [1]}\n")); }),
      {"m.yaml", "missing required key 'workloads'"});
}
