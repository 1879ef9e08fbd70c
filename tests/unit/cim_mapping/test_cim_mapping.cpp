// Layer-to-tile mapping worked out by hand: conv, fc, depthwise, exact fits and off-by-one.
#include <catch2/catch.hpp>

#include "models/cim/cim_mapping.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;
using namespace npusim::cim;

namespace {

CimConfig tiles_of(int64_t rows, int64_t cols, int64_t n = 64) {
  CimConfig c;
  c.tile_rows = rows;
  c.tile_cols = cols;
  c.tiles = n;
  return c;
}

Layer conv(int64_t C, int64_t K, int64_t R, int64_t S, OpType op = OpType::Conv, int64_t groups = 1) {
  Layer l;
  l.name = "l";
  l.source = "t.csv:2";
  l.op = op;
  l.H = l.W = l.out_h = l.out_w = 8;
  l.C = C;
  l.K = K;
  l.R = R;
  l.S = S;
  l.groups = groups;
  return l;
}

Layer fc(int64_t C, int64_t K) {
  Layer l = conv(C, K, 1, 1, OpType::Fc);
  l.H = l.W = l.out_h = l.out_w = 1;
  return l;
}

void check_slice(const TileSlice& s, int64_t tile, int64_t rows, int64_t cols, int64_t w_row0, int64_t w_col0,
                 int64_t blocks, int64_t used) {
  CHECK(s.tile == tile);
  CHECK((s.row0 == 0 && s.col0 == 0));
  CHECK(s.rows == rows);
  CHECK(s.cols == cols);
  CHECK(s.w_row0 == w_row0);
  CHECK(s.w_col0 == w_col0);
  CHECK(s.blocks == blocks);
  CHECK(s.cells_used == used);
}

}  // namespace

TEST_CASE("conv: im2col rows R*S*C split over tiles, partial sums per output channel", "[mapping]") {
  // 3x3x32 -> 64 on 256x256: 288 rows = 256 + 32 (2 row splits), 64 columns.
  const TilePlan p = map_layer(tiles_of(256, 256), conv(32, 64, 3, 3));
  CHECK((p.weight_rows == 288 && p.weight_cols == 64));
  CHECK((p.row_splits == 2 && p.col_splits == 1 && p.tiles == 2));
  REQUIRE(p.slices.size() == 2);
  check_slice(p.slices[0], 0, 256, 64, 0, 0, 1, 256 * 64);
  check_slice(p.slices[1], 1, 32, 64, 256, 0, 1, 32 * 64);
  CHECK(p.cells_used == 288 * 64);
  CHECK(p.cells_occupied == 2 * 65536);
  CHECK(p.utilization() == Approx(18432.0 / 131072.0));  // 14.0625 %
  CHECK(p.psum_adds_per_pixel == 64);                    // one add per output channel
  CHECK((p.rows_driven == 288 && p.columns_read == 128));

  // Both splits on a small 16x8 tile: 3x3x4 -> 10 is 36 x 10 = rows 16+16+4, columns 8+2: 6 tiles.
  const TilePlan q = map_layer(tiles_of(16, 8), conv(4, 10, 3, 3), 5);
  CHECK((q.row_splits == 3 && q.col_splits == 2 && q.tiles == 6 && q.first_tile == 5));
  REQUIRE(q.slices.size() == 6);
  check_slice(q.slices[0], 5, 16, 8, 0, 0, 1, 128);
  check_slice(q.slices[1], 6, 16, 2, 0, 8, 1, 32);
  check_slice(q.slices[4], 9, 4, 8, 32, 0, 1, 32);
  check_slice(q.slices[5], 10, 4, 2, 32, 8, 1, 8);
  CHECK(q.cells_used == 360);
  CHECK(q.utilization() == Approx(360.0 / 768.0));
  CHECK(q.psum_adds_per_pixel == 2 * 10);
}

TEST_CASE("fc: C x K, exact fits and off-by-one", "[mapping]") {
  const CimConfig t = tiles_of(256, 256);
  const TilePlan exact = map_layer(t, fc(256, 256));
  CHECK((exact.tiles == 1 && exact.utilization() == 1.0 && exact.psum_adds_per_pixel == 0));
  const TilePlan one_row_more = map_layer(t, fc(257, 256));
  CHECK((one_row_more.row_splits == 2 && one_row_more.col_splits == 1 && one_row_more.tiles == 2));
  check_slice(one_row_more.slices[1], 1, 1, 256, 256, 0, 1, 256);
  CHECK(one_row_more.psum_adds_per_pixel == 256);
  CHECK(one_row_more.utilization() == Approx(257.0 * 256 / (2 * 65536)));
  const TilePlan one_col_more = map_layer(t, fc(256, 257));
  CHECK((one_col_more.row_splits == 1 && one_col_more.col_splits == 2 && one_col_more.tiles == 2));
  check_slice(one_col_more.slices[1], 1, 256, 1, 0, 256, 1, 256);
  CHECK(one_col_more.psum_adds_per_pixel == 0);  // column splits sit side by side
  const TilePlan one_less = map_layer(t, fc(255, 255));
  CHECK((one_less.tiles == 1 && one_less.utilization() == Approx(255.0 * 255 / 65536)));
  const TilePlan kws_fc = map_layer(t, fc(64, 12));
  CHECK((kws_fc.tiles == 1 && kws_fc.cells_used == 768));
}

TEST_CASE("depthwise: block-diagonal, channels packed along the diagonal", "[mapping]") {
  // 64 channels of 3x3: blocks of 9 rows x 1 column; floor(256 / 9) = 28 per tile -> 28 + 28 + 8, 3 tiles.
  const TilePlan p = map_layer(tiles_of(256, 256), conv(64, 64, 3, 3, OpType::DwConv, 64));
  CHECK((p.weight_rows == 576 && p.weight_cols == 64 && p.groups == 64));
  CHECK((p.blocks_per_tile == 28 && p.tiles == 3 && p.row_splits == 1));
  REQUIRE(p.slices.size() == 3);
  check_slice(p.slices[0], 0, 252, 28, 0, 0, 28, 252);
  check_slice(p.slices[1], 1, 252, 28, 252, 28, 28, 252);
  check_slice(p.slices[2], 2, 72, 8, 504, 56, 8, 72);
  CHECK(p.cells_used == 576);
  CHECK(p.cells_occupied == 3 * 65536);
  CHECK(p.utilization() == Approx(576.0 / 196608.0));
  CHECK(p.psum_adds_per_pixel == 0);
  // Exact fit: 16 rows hold 16 / 4 = 4 channels of 2x2, 4 channels -> 1 tile; a fifth channel needs a second.
  CHECK(map_layer(tiles_of(16, 8), conv(4, 4, 2, 2, OpType::DwConv, 4)).tiles == 1);
  const TilePlan five = map_layer(tiles_of(16, 8), conv(5, 5, 2, 2, OpType::DwConv, 5));
  CHECK((five.tiles == 2 && five.slices[1].blocks == 1 && five.slices[1].w_row0 == 16));
  // Column-bound packing: channel multiplier 4 (4 columns per block) on 8 columns -> 2 blocks per tile.
  CHECK(map_layer(tiles_of(16, 8), conv(4, 16, 1, 1, OpType::DwConv, 4)).blocks_per_tile == 2);
  // A kernel taller than the tile: each channel split on its own (2 row splits), one add per channel.
  const TilePlan tall = map_layer(tiles_of(16, 8), conv(3, 3, 5, 5, OpType::DwConv, 3));
  CHECK((tall.row_splits == 2 && tall.tiles == 6 && tall.psum_adds_per_pixel == 3));
  check_slice(tall.slices[3], 3, 9, 1, 25 + 16, 1, 1, 9);
}

TEST_CASE("layers without crossbar weights are refused by name", "[mapping]") {
  Layer lstm = fc(16, 16);
  lstm.op = OpType::Lstm;
  lstm.name = "rnn1";
  test::check_message(test::input_error([&] { map_layer(tiles_of(256, 256), lstm); }),
                      {"t.csv:2", "layer 'rnn1' (lstm)", "only conv, dwconv and fc", "recurrent"});
  Layer pool = conv(8, 8, 2, 2, OpType::MaxPool);
  test::check_message(test::input_error([&] { map_layer(tiles_of(256, 256), pool); }),
                      {"layer 'l'", "maxpool"});
}
