// The shipped sweep specs (configs/sweeps/) load and expand to their documented point counts.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "sim/sweep/sweep_points.h"
#include "sim/sweep/sweep_spec.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;

namespace {
std::string sweep(const std::string& name) {
  return test::source_dir() + "/configs/sweeps/" + name;
}
}  // namespace

TEST_CASE("sparse_sta: 8 iso-throughput shapes x 3 NNZ x 2 IM2COL on two workloads", "[shipped]") {
  const SweepSpec s = load_sweep_spec(sweep("sparse_sta.yaml"));
  CHECK(s.name == "sparse_sta");
  REQUIRE(s.workloads.size() == 2);
  CHECK(s.workloads[0].label == "workloads/resnet50.csv");
  CHECK(s.workloads[1].label == "workloads/mobilenet_v1.csv");
  CHECK(s.options.fast);
  const SweepPoints p = expand_sweep(s);
  CHECK(p.grid_size == 288);
  CHECK(p.points.size() == 48);
  CHECK(p.runs.size() == 96);
  std::set<std::string> hashes;
  for (const auto& pt : p.points) {
    INFO(pt.error);
    REQUIRE(pt.config);
    const auto j = pt.config->to_json();
    CHECK(j["tpe"]["a"].get<int>() * j["tpe"]["b"].get<int>() * j["tpe"]["c"].get<int>() *
              j["array"]["rows"].get<int>() * j["array"]["cols"].get<int>() ==
          1024);
    CHECK(j["sparsity"]["weights"]["mode"] == "dbb");
    CHECK(j["sparsity"]["weights"]["nnz"].get<int>() == pt.options.w_nnz);
    hashes.insert(pt.config_hash);
  }
  CHECK(hashes.size() == 48);
}

TEST_CASE("buffer_sizes: 5 x 5 buffer sizes, 16 within 1 MiB, one workload", "[shipped]") {
  const SweepPoints p = expand_sweep(load_sweep_spec(sweep("buffer_sizes.yaml")));
  CHECK(p.grid_size == 25);
  CHECK(p.points.size() == 16);
  CHECK(p.runs.size() == 16);
  CHECK(p.runs[0].key.workload == "workloads/resnet50.csv");
  CHECK(p.points.front().overrides == std::vector<std::string>{"buffers.act_kib=64", "buffers.wgt_kib=64"});
  for (const auto& pt : p.points) CHECK(pt.error.empty());
}
