// Network plans of the shipped TinyMLPerf KWS DS-CNN and VWW MobileNetV1-0.25 layer tables.
#include <catch2/catch.hpp>
#include <iostream>

#include "models/cim/cim_mapping.h"
#include "sim/workload/workload_loader.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

Network workload(const std::string& file) {
  return load_workload(test::source_dir() + "/workloads/" + file);
}

CimConfig config(int64_t tiles) {
  CimConfig c;
  c.tiles = tiles;
  c.source = "cim.yaml";
  return c;
}

}  // namespace

TEST_CASE("KWS DS-CNN on 256x256 tiles: 18 tiles", "[network]") {
  const Network net = workload("tinymlperf_kws_ds_cnn.csv");
  const NetworkPlan plan = map_network(config(64), net);
  std::cout << format_plan(plan);
  // By hand: conv 10x4x1 -> 64 is 40 x 64, one tile; each dwconv 3x3x64 is 64 blocks of 9 x 1, 28 per
  // tile -> 3 tiles (x4); each pointwise 64 x 64 one tile (x4); fc 64 x 12 one tile: 1 + 12 + 4 + 1 = 18.
  CHECK(plan.layers.size() == 10);
  CHECK(plan.digital == std::vector<std::string>{"functional_1/average_pooling2d/AvgPool"});
  CHECK(plan.tiles_used == 18);
  const TilePlan* first = plan.find("functional_1/activation/Relu");
  REQUIRE(first);
  CHECK(
      (first->weight_rows == 40 && first->weight_cols == 64 && first->tiles == 1 && first->first_tile == 0));
  CHECK(first->utilization() == Approx(2560.0 / 65536.0));
  const TilePlan* dw = plan.find("functional_1/activation_1/Relu");
  REQUIRE(dw);
  CHECK((dw->tiles == 3 && dw->first_tile == 1 && dw->blocks_per_tile == 28));
  CHECK(plan.find("functional_1/activation_2/Relu")->first_tile == 4);
  // Weights: 2560 + 4 x 576 + 4 x 4096 + 768 = 22016 on 18 x 65536 cells.
  CHECK(plan.cells_used == 22016);
  CHECK(plan.utilization() == Approx(22016.0 / (18 * 65536.0)));
  // Tiles are consecutive and disjoint.
  int64_t next = 0;
  for (const TilePlan& p : plan.layers) {
    CHECK(p.first_tile == next);
    next += p.tiles;
  }
}

TEST_CASE("VWW MobileNetV1-0.25 on 256x256 tiles: 67 tiles", "[network]") {
  const Network net = workload("tinymlperf_vww_mobilenet_v1_025.csv");
  const NetworkPlan plan = map_network(config(128), net);
  std::cout << format_plan(plan);
  // By hand: 14 conv/pointwise layers (the largest 256 x 256, an exact fit) and the fc 256 x 2 take one
  // tile each (15); the depthwise layers take ceil(C / 28): 8 -> 1, 16 -> 1, 32 -> 2 (x2), 64 -> 3 (x2),
  // 128 -> 5 (x6), 256 -> 10: 52. 15 + 52 = 67.
  CHECK(plan.layers.size() == 28);
  CHECK(plan.tiles_used == 67);
  const TilePlan* dw256 = plan.find("model/activation_25/Relu");
  REQUIRE(dw256);
  CHECK((dw256->tiles == 10 && dw256->slices.back().blocks == 256 - 9 * 28));
  const TilePlan* pw256 = plan.find("model/activation_26/Relu");
  REQUIRE(pw256);
  CHECK((pw256->tiles == 1 && pw256->utilization() == 1.0 && pw256->psum_adds_per_pixel == 0));
  const TilePlan* stem = plan.find("model/activation/Relu");
  CHECK((stem->weight_rows == 27 && stem->weight_cols == 8 && stem->tiles == 1));
}

TEST_CASE("a network too big for the tiles names both numbers and the key", "[network]") {
  const Network vww = workload("tinymlperf_vww_mobilenet_v1_025.csv");
  test::check_message(test::input_error([&] { map_network(config(64), vww); }),
                      {"cim.yaml: tiles:", "needs 67 tiles of 256x256", "the config has 64"});
  const Network kws = workload("tinymlperf_kws_ds_cnn.csv");
  test::check_message(test::input_error([&] { map_network(config(17), kws); }), {"needs 18 tiles", "has 17"});
  CHECK(map_network(config(18), kws).tiles_used == 18);  // exact fit
}

TEST_CASE("the activation SRAM must hold a layer's input and output", "[network]") {
  // VWW's pointwise 48x48x8 -> 48x48x16 needs 18432 + 36864 = 55296 bytes: fits 64 KiB, not 32 KiB.
  const Network vww = workload("tinymlperf_vww_mobilenet_v1_025.csv");
  CimConfig c = config(128);
  c.act_sram_kib = 32;
  test::check_message(test::input_error([&] { map_network(c, vww); }),
                      {"cim.yaml: sram.act_kib:", "needs", "32 KiB = 32768 bytes"});
}

TEST_CASE("shared tiles: slices stacked along the diagonal, first fit", "[network]") {
  // Three fc 100 x 100 on 256 x 256: the first two on tile 0 at (0, 0) and (100, 100); the third would end
  // at row 300, so it opens tile 1.
  Network net;
  net.name = "three_fc";
  for (const char* name : {"a", "b", "c"}) {
    Layer l;
    l.name = name;
    l.op = OpType::Fc;
    l.C = l.K = 100;
    net.layers.push_back(l);
  }
  CimConfig c = config(2);
  c.share_tiles = true;
  const NetworkPlan plan = map_network(c, net);
  CHECK(plan.tiles_used == 2);
  const TileSlice& b = plan.find("b")->slices[0];
  CHECK((b.tile == 0 && b.row0 == 100 && b.col0 == 100 && b.rows == 100 && b.cols == 100));
  const TileSlice& last = plan.find("c")->slices[0];
  CHECK((last.tile == 1 && last.row0 == 0 && last.col0 == 0));
  CHECK(plan.find("c")->first_tile == 1);
  CHECK(plan.find("b")->cells_occupied == 10000);
  CHECK(plan.utilization() == Approx(30000.0 / (2 * 65536.0)));
  c.tiles = 1;
  test::check_message(test::input_error([&] { map_network(c, net); }),
                      {"needs 2 tiles", "sharing tiles", "has 1"});
}

TEST_CASE("shared tiles: KWS and VWW fit far fewer tiles", "[network]") {
  CimConfig c = config(64);
  c.share_tiles = true;
  for (const char* file : {"tinymlperf_kws_ds_cnn.csv", "tinymlperf_vww_mobilenet_v1_025.csv"}) {
    const Network net = workload(file);
    const NetworkPlan own = map_network(config(128), net);
    const NetworkPlan shared = map_network(c, net);
    std::cout << format_plan(shared);
    CHECK(shared.cells_used == own.cells_used);
    CHECK(shared.tiles_used < own.tiles_used);
    // Rows are the binding resource of the diagonal: every tile holds at most tile.rows rows of slices.
    int64_t rows = 0;
    for (const TilePlan& p : shared.layers)
      for (const TileSlice& s : p.slices) rows += s.rows;
    CHECK(shared.tiles_used >= (rows + 255) / 256);
    // No two slices overlap on a tile.
    std::vector<const TileSlice*> all;
    for (const TilePlan& p : shared.layers)
      for (const TileSlice& s : p.slices) all.push_back(&s);
    for (size_t i = 0; i < all.size(); ++i)
      for (size_t j = i + 1; j < all.size(); ++j) {
        const TileSlice& x = *all[i];
        const TileSlice& y = *all[j];
        const bool rows_meet = x.row0 < y.row0 + y.rows && y.row0 < x.row0 + x.rows;
        const bool cols_meet = x.col0 < y.col0 + y.cols && y.col0 < x.col0 + x.cols;
        CHECK(!(x.tile == y.tile && (rows_meet || cols_meet)));
      }
  }
}

TEST_CASE("a recurrent layer in a network is refused by name", "[network]") {
  Network net = workload("tinymlperf_kws_ds_cnn.csv");
  Layer& l = net.layers.back();
  l.op = OpType::Lstm;
  l.name = "rnn";
  test::check_message(test::input_error([&] { map_network(config(64), net); }),
                      {"layer 'rnn' (lstm)", "cannot be mapped onto the cim tiles", "recurrent"});
}
