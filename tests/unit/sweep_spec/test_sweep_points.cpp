// Expansion into points: grid order, ranges, zip groups, random sampling, constraints, hashing, shards.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "sim/config/arch_loader.h"
#include "tests/unit/sweep_spec/sweep_test_util.h"

using namespace npusim;
using npusim::test::SweepDir;

namespace {

std::vector<std::vector<std::string>> overrides_of(const SweepPoints& p) {
  std::vector<std::vector<std::string>> out;
  for (const auto& pt : p.points) out.push_back(pt.overrides);
  return out;
}

}  // namespace

TEST_CASE("grid: axes in spec order, the last fastest", "[points]") {
  SweepDir d;
  const SweepPoints p =
      d.expand("axes:\n  tpe.a: [1, 2]\n  dataflow: [os]\n  buffers.act_kib: [64, 128, 256]\n");
  CHECK(p.grid_size == 6);
  REQUIRE(p.points.size() == 6);
  CHECK(p.points[0].overrides == std::vector<std::string>{"tpe.a=1", "dataflow=os", "buffers.act_kib=64"});
  CHECK(p.points[1].overrides == std::vector<std::string>{"tpe.a=1", "dataflow=os", "buffers.act_kib=128"});
  CHECK(p.points[3].overrides == std::vector<std::string>{"tpe.a=2", "dataflow=os", "buffers.act_kib=64"});
  CHECK(p.points[5].overrides == std::vector<std::string>{"tpe.a=2", "dataflow=os", "buffers.act_kib=256"});
  for (size_t i = 0; i < 6; ++i) {
    CHECK(p.points[i].grid_index == i);
    REQUIRE(p.points[i].config);
    CHECK(p.points[i].error.empty());
  }
  CHECK(p.points[5].config->to_json()["buffers"]["act_kib"] == 256);
  CHECK(p.points[5].config->to_json()["tpe"]["a"] == 2);
  REQUIRE(p.runs.size() == 6);
  CHECK(p.runs[0].key.workload == "w.csv");  // outside a repository: as given
  CHECK(p.note.empty());
}

TEST_CASE("ranges: arithmetic and geometric, both ends inclusive", "[points]") {
  SweepDir d;
  auto values = [&](const std::string& axis) {
    std::vector<std::string> out;
    for (const auto& pt : d.expand("axes:\n  " + axis + "\n").points) out.push_back(pt.overrides.at(0));
    return out;
  };
  CHECK(values("buffers.act_kib: {from: 8, to: 32, step: 8}") ==
        std::vector<std::string>{"buffers.act_kib=8", "buffers.act_kib=16", "buffers.act_kib=24",
                                 "buffers.act_kib=32"});
  CHECK(values("buffers.act_kib: {from: 8, to: 30, step: 8}").size() == 3);
  CHECK(values("buffers.act_kib: {from: 64, to: 512, factor: 2}") ==
        std::vector<std::string>{"buffers.act_kib=64", "buffers.act_kib=128", "buffers.act_kib=256",
                                 "buffers.act_kib=512"});
  CHECK(values("buffers.act_kib: {from: 5, to: 5, step: 1}") ==
        std::vector<std::string>{"buffers.act_kib=5"});
  CHECK(values("clock_mhz: {from: 0.5, to: 1.5, step: 0.25}") ==
        std::vector<std::string>{"clock_mhz=0.5", "clock_mhz=0.75", "clock_mhz=1", "clock_mhz=1.25",
                                 "clock_mhz=1.5"});
  CHECK(values("clock_mhz: {from: 100, to: 300, factor: 1.5}") ==
        std::vector<std::string>{"clock_mhz=100", "clock_mhz=150", "clock_mhz=225"});
}

TEST_CASE("zip groups vary their keys together as one axis", "[points]") {
  SweepDir d;
  const SweepPoints p = d.expand(
      "axes:\n  shape:\n    zip: {tpe.a: [2, 4], array.rows: [8, 4]}\n  im2col: [software, hardware]\n");
  CHECK(overrides_of(p) ==
        std::vector<std::vector<std::string>>{{"tpe.a=2", "array.rows=8", "im2col=software"},
                                              {"tpe.a=2", "array.rows=8", "im2col=hardware"},
                                              {"tpe.a=4", "array.rows=4", "im2col=software"},
                                              {"tpe.a=4", "array.rows=4", "im2col=hardware"}});
  CHECK(p.points[2].config->to_json()["array"]["rows"] == 4);
}

TEST_CASE("options axes vary a point's run options", "[points]") {
  SweepDir d;
  const SweepPoints p = d.expand(
      "options: {fast: true, seed: 3}\naxes:\n  w:\n    zip: {sparsity.weights.nnz: [8, 4], options.w_nnz: "
      "[8, 4]}\n");
  REQUIRE(p.points.size() == 2);
  CHECK(p.points[1].overrides == std::vector<std::string>{"sparsity.weights.nnz=4"});
  CHECK(p.points[1].options.w_nnz == 4);
  CHECK(p.runs[1].key.options == "a_nnz=0,backend=model,fast=1,independent=0,seed=3,values=0,w_nnz=4");
  // Constraints may name options: a model pruned harder than the hardware's NNZ only.
  const SweepPoints q = d.expand(
      "axes:\n  sparsity.weights.nnz: [8, 4, 2]\n  options.w_nnz: [8, 4, 2]\n"
      "constraints: ['options.w_nnz <= sparsity.weights.nnz and options.backend == \"model\"']\n");
  CHECK(q.points.size() == 6);
}

TEST_CASE("config constraints filter points, derived ones are left to the runner", "[points]") {
  SweepDir d;
  const std::string path = d.spec(
      "axes:\n  tpe.a: [1, 2, 4]\n  array.rows: [2, 4, 8, 16]\n  im2col: [software, hardware]\n"
      "constraints:\n  - \"tpe.a * array.rows == 16\"\n  - \"im2col == 'software'\"\n  - \"area_mm2 <= "
      "2\"\n");
  const SweepSpec s = load_sweep_spec(path);
  REQUIRE(s.config_constraints().size() == 2);
  REQUIRE(s.runner_constraints().size() == 1);
  CHECK(s.runner_constraints()[0]->expr.text() == "area_mm2 <= 2");
  CHECK(s.runner_constraints()[0]->line == 10);
  const SweepPoints p = expand_sweep(s);
  CHECK(p.grid_size == 24);
  CHECK(p.rejected == 21);
  CHECK(overrides_of(p) ==
        std::vector<std::vector<std::string>>{{"tpe.a=1", "array.rows=16", "im2col=software"},
                                              {"tpe.a=2", "array.rows=8", "im2col=software"},
                                              {"tpe.a=4", "array.rows=4", "im2col=software"}});
}

TEST_CASE("invalid combinations are points with the loader's error", "[points]") {
  SweepDir d;
  // Each value is fine on the base alone; dbb weights need block == tpe.b, so dbb with tpe.b 4 fails.
  const SweepPoints p = d.expand("axes:\n  sparsity.weights.mode: [dense, dbb]\n  tpe.b: [8, 4]\n");
  REQUIRE(p.points.size() == 4);
  CHECK(p.points[3].overrides == std::vector<std::string>{"sparsity.weights.mode=dbb", "tpe.b=4"});
  CHECK(!p.points[3].config);
  CHECK_THAT(p.points[3].error, Catch::Matchers::Contains("must equal tpe.b"));
  CHECK(p.points[3].config_hash.size() == 16);
  for (size_t i = 0; i < 3; ++i) CHECK(p.points[i].error.empty());
}

TEST_CASE("random sampling: seeded, without replacement, within the budget", "[points]") {
  SweepDir d;
  const std::string axes =
      "axes:\n  tpe.a: [1, 2, 3, 4]\n  tpe.c: [1, 2, 3, 4]\n  buffers.act_kib: [64, 128, 256]\n";
  auto sample = [&](int points, int seed) {
    return d.expand(axes + "sampling: {mode: random, points: " + std::to_string(points) +
                    ", seed: " + std::to_string(seed) + "}\n");
  };
  const SweepPoints a = sample(10, 7), b = sample(10, 7), c = sample(10, 8);
  CHECK(a.points.size() == 10);
  CHECK(overrides_of(a) == overrides_of(b));
  CHECK(overrides_of(a) != overrides_of(c));
  std::set<uint64_t> idx;
  for (const auto& p : a.points) idx.insert(p.grid_index);
  CHECK(idx.size() == 10);
  CHECK(std::is_sorted(a.points.begin(), a.points.end(),
                       [](const SweepPoint& x, const SweepPoint& y) { return x.grid_index < y.grid_index; }));
  CHECK(a.note.empty());
  const SweepPoints all = sample(100, 7);
  CHECK(all.points.size() == 48);
  CHECK_THAT(all.note, Catch::Matchers::Contains("the grid has 48: all of them"));
  // Constraints are applied before the budget counts a point.
  const SweepPoints con =
      d.expand(axes + "constraints: ['tpe.a == tpe.c']\nsampling: {mode: random, points: 5}\n");
  CHECK(con.points.size() == 5);
  for (const auto& p : con.points) CHECK(p.overrides[0].substr(6) == p.overrides[1].substr(6));
}

TEST_CASE("random sampling from a grid too large to enumerate draws index tuples", "[points]") {
  SweepDir d;
  const std::string axes =
      "axes:\n  buffers.act_kib: {from: 1, to: 200, step: 1}\n  buffers.wgt_kib: {from: 1, to: 200, step: "
      "1}\n"
      "  buffers.out_kib: {from: 1, to: 200, step: 1}\n";
  CHECK_THROWS_WITH(d.expand(axes), Catch::Matchers::Contains("use sampling: {mode: random"));
  const SweepPoints a = d.expand(axes + "sampling: {mode: random, points: 20, seed: 3}\n");
  const SweepPoints b = d.expand(axes + "sampling: {mode: random, points: 20, seed: 3}\n");
  CHECK(a.grid_size == 8000000);
  CHECK(a.points.size() == 20);
  CHECK(overrides_of(a) == overrides_of(b));
  std::set<std::string> hashes;
  for (const auto& p : a.points) hashes.insert(p.config_hash);
  CHECK(hashes.size() == 20);
}

TEST_CASE("config hash: same config same hash, whatever the override order", "[points]") {
  SweepDir d;
  const std::string base = d.tmp.path("base.yaml");
  const std::string h1 = config_hash(load_arch(base, {"tpe.a=4", "array.rows=4"}));
  const std::string h2 = config_hash(load_arch(base, {"array.rows=4", "tpe.a=4"}));
  const std::string h3 = config_hash(load_arch(base, {"array.rows=4", "tpe.a=4", "name=other", "tpe.b=8"}));
  const std::string h4 = config_hash(load_arch(base, {"array.rows=4", "tpe.a=2"}));
  CHECK(h1.size() == 16);
  CHECK(h1 == h2);
  CHECK(h1 == h3);  // the name is not hardware; tpe.b=8 is the base's own value
  CHECK(h1 != h4);
  CHECK(h1 != config_hash(load_arch(base)));
  // Stable across runs and processes: a fixed input gives a fixed hash (FNV-1a of the canonical JSON).
  CHECK(h1 == config_hash(load_arch(d.tmp.write("b2.yaml",
                                                "name: x\nfamily: systolic\narray: {cols: 4, rows: 4}\n"
                                                "tpe: {c: 2, a: 4, b: 8}\n"))));
  // Points that resolve to an earlier point's config are dropped (run once).
  const SweepPoints p = d.expand("axes:\n  tpe.b: [8, 8]\n");
  CHECK(p.points.size() == 1);
  CHECK_THAT(p.note, Catch::Matchers::Contains("1 point(s) resolve to the config of an earlier one"));
}

TEST_CASE("shards partition the runs exactly", "[points]") {
  SweepDir d;
  const std::string path =
      d.tmp.write("two.yaml",
                  "base: base.yaml\nworkloads: [w.csv, v.csv]\naxes:\n  tpe.a: [1, 2, 3, 4, 5]\n"
                  "  buffers.act_kib: [64, 128, 256, 512]\n");
  const SweepPoints p = expand_sweep(load_sweep_spec(path));
  REQUIRE(p.runs.size() == 40);
  for (int n : {1, 2, 3, 7}) {
    std::multiset<std::string> keys;
    for (int i = 0; i < n; ++i) {
      const auto s = shard(p.runs, i, n);
      for (const auto& r : s) keys.insert(r.key.str());
    }
    CHECK(keys.size() == 40);
    std::set<std::string> unique(keys.begin(), keys.end());
    CHECK(unique.size() == 40);
  }
  CHECK(shard(p.runs, 0, 1).size() == 40);
  // Deterministic: the same shard twice.
  const auto s1 = shard(p.runs, 1, 3), s2 = shard(p.runs, 1, 3);
  REQUIRE(s1.size() == s2.size());
  for (size_t i = 0; i < s1.size(); ++i) CHECK(s1[i].key == s2[i].key);
  CHECK(parse_shard("2/5") == std::make_pair(2, 5));
  for (const char* bad : {"5/5", "-1/2", "1", "a/b", "0/0"})
    CHECK_THROWS_WITH(parse_shard(bad), Catch::Matchers::StartsWith("--shard"));
}

TEST_CASE("the runner checks derived constraints on a point's report", "[points]") {
  SweepDir d;
  const SweepSpec s = load_sweep_spec(d.spec(
      "axes:\n  tpe.a: [1, 2]\nconstraints:\n  - \"area_mm2 <= 2 or tpe.a == 1\"\n  - \"tops_per_w > 1\"\n"));
  const SweepPoints p = expand_sweep(s);
  REQUIRE(p.points.size() == 2);  // nothing filtered at expansion
  const nlohmann::json small = {{"total", {{"area_mm2", 1.5}, {"tops_per_w_effective", 3.0}}}};
  const nlohmann::json big = {{"total", {{"area_mm2", 2.5}, {"tops_per_w_effective", 3.0}}}};
  CHECK(check_runner_constraints(s, p.points[1], small).empty());
  CHECK(check_runner_constraints(s, p.points[0], big).empty());  // tpe.a == 1
  CHECK(check_runner_constraints(s, p.points[1], big) ==
        s.path + ":6: 'area_mm2 <= 2 or tpe.a == 1' does not hold");
  const nlohmann::json none = {{"total", {{"area_mm2", 1.0}}}};
  CHECK_THAT(check_runner_constraints(s, p.points[1], none),
             Catch::Matchers::Contains(":7: 'tops_per_w > 1' at position 1: unknown key 'tops_per_w'"));
  CHECK(derived_value(small, "tops_per_w")->num == 3.0);
  CHECK(!derived_value(small, "tpe.a"));
}

TEST_CASE("mapping values are given to the loader in flow style", "[points]") {
  SweepDir d;
  d.tmp.write("cim.yaml", "name: c\nfamily: cim\n");
  const std::string path = d.tmp.write("c.yaml",
                                       "base: cim.yaml\nworkloads: [w.csv]\naxes:\n  tile: [{rows: 512, "
                                       "cols: 128}, {rows: 256, cols: 256}]\n");
  const SweepPoints p = expand_sweep(load_sweep_spec(path));
  REQUIRE(p.points.size() == 2);
  CHECK(p.points[0].overrides == std::vector<std::string>{"tile={rows: 512, cols: 128}"});
  REQUIRE(p.points[0].config);
  CHECK(p.points[0].config->to_json()["tile"]["rows"] == 512);
  CHECK(p.points[1].config->to_json()["tile"]["cols"] == 256);
}
