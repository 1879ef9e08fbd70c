#pragma once
// Helpers for the sweep result store tests (TempDir, input_error and check_message from the loader tests'
// test_util.h): points and reports shaped like to_json(RunReport) (sim/report/report.cpp) without running the
// simulator.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/sweep/result_db.h"
#include "sim/sweep/sqlite_handle.h"
#include "tests/unit/workload/test_util.h"

namespace npusim::test {

inline PointKey key(int i, const std::string& workload = "resnet18") {
  return {"hash" + std::to_string(i), workload, "fast=1;seed=1"};
}

inline PointRecord point(int i, const std::string& workload = "resnet18") {
  PointRecord r;
  r.key = key(i, workload);
  r.spec = "test_sweep";
  r.overrides = nlohmann::json::array({"array.rows=" + std::to_string(4 * (i + 1)), "array.cols=8"});
  r.resolved_config = {{"name", "sta"}, {"array", {{"rows", 4 * (i + 1)}, {"cols", 8}}}};
  r.seed = 1;
  r.host = "testhost";
  r.started_utc = "2026-01-01T00:00:00Z";
  r.finished_utc = "2026-01-01T00:00:01Z";
  r.wall_s = 0.25;
  return r;
}

// A report of `layers` layers whose figures depend on `i` (so different points differ).
inline nlohmann::json report(int i, int layers = 3, const std::string& workload_path = "/w/resnet18.csv") {
  nlohmann::json j;
  j["tool"] = "npusim";
  j["seed"] = 1;
  j["backend"] = "model";
  j["fast"] = true;
  j["workload"] = {{"name", "resnet18"}, {"path", workload_path}};
  j["execution"] = "chained";
  j["arch"] = {{"name", "sta"}, {"rows", 4 * (i + 1)}};
  auto& ls = j["layers"] = nlohmann::json::array();
  int64_t cycles = 0, macs = 0;
  for (int l = 0; l < layers; ++l) {
    const int64_t c = 1000 * (l + 1) + i, m = 4096 * (l + 1);
    cycles += c, macs += m;
    ls.push_back({{"name", "conv" + std::to_string(l)},
                  {"op", l % 2 ? "dwconv" : "conv"},
                  {"unit", "array"},
                  {"macs", m},
                  {"executed_macs", m},
                  {"cycles", c},
                  {"stall_cycles", 10 * l},
                  {"utilization", 0.5 + 0.01 * l},
                  {"verified", nullptr},
                  {"dram_bytes", 256 * l},
                  {"latency_s", c * 1e-9},
                  {"energy_pj", {{"MAC", 100.0 * l}, {"DRAM", 20.0}}},
                  {"energy_total_pj", 100.0 * l + 20.0}});
  }
  j["total"] = {{"cycles", cycles},
                {"macs", macs},
                {"executed_macs", macs},
                {"stall_cycles", 3},
                {"dram_bytes", 4096},
                {"utilization", 0.5},
                {"latency_s", cycles * 1e-9},
                {"tops", 1.5 + i},
                {"layers_verified", 0},
                {"layers_failed", 0},
                {"layers_not_checked", layers},
                {"layers_statistical", 0},
                {"energy_pj", 1000.0 + i},
                {"energy_core_pj", 900.0 + i},
                {"energy_by_category_pj", {{"MAC", 600.0 + i}, {"DRAM", 100.0}, {"SRAM act", 300.0}}},
                {"energy_estimated", true},
                {"tops_per_w_effective", 2.0 + i},
                {"tops_per_w_executed", 2.0 + i},
                {"tops_per_w_core_effective", 3.0 + i},
                {"tops_per_w_core_executed", 3.0 + i},
                {"area_mm2", 0.5 + 0.25 * i},
                {"area_by_category_um2", {{"MAC", 1000.0}, {"SRAM", 4000.0}}},
                {"tops_per_mm2", 1.0},
                {"tech_table", "/src/configs/tech/16nm.yaml"}};
  return j;
}

inline int64_t scalar(sqlite::Connection& db, const std::string& sql) {
  sqlite::Statement s(db, sql);
  REQUIRE(s.step());
  return s.int64(0);
}

inline std::string text_scalar(sqlite::Connection& db, const std::string& sql) {
  sqlite::Statement s(db, sql);
  REQUIRE(s.step());
  return s.text(0);
}

}  // namespace npusim::test
