#pragma once
// How layers map onto the cim family's PCM tiles (DESIGN.md §8). A conv layer is its im2col weight matrix:
// R·S·C/groups rows (one per input of a dot product, ordered (r, s, c) as TFLite's OHWI weights) by
// K/groups columns (output channels), one matrix per group; fc is C x K. A matrix larger than a tile is
// split: row splits hold parts of the same dot products, whose partial sums the digital periphery adds;
// column splits sit side by side. Grouped and depthwise layers are block-diagonal: each group's block
// (R·S rows x 1 column for depthwise) gets its own rows and columns, and as many blocks as fit are packed
// along a tile's diagonal (the cells between them are occupied but hold no weight, which the
// utilization counts). By default every layer gets whole tiles of its own; with mapping.share_tiles the
// slices of all layers are stacked along the tiles' diagonals (disjoint rows and columns, so an idle
// layer's undriven rows add no current). Every weight stays resident. Biases, scales and ReLU are in the
// digital periphery, not the crossbar.
#include <cstdint>
#include <string>
#include <vector>

#include "models/cim/cim_config.h"
#include "sim/workload/layer.h"

namespace npusim::cim {

// A rectangle of one tile holding part of a layer's weight matrix: crossbar rows [row0, row0 + rows) get
// weight rows [w_row0, w_row0 + rows), columns likewise. `blocks` > 1: that many groups packed along the
// rectangle's diagonal (block-diagonal inside); cells_used counts the programmed weights only.
struct TileSlice {
  int64_t tile = 0;
  int64_t row0 = 0, rows = 0;
  int64_t col0 = 0, cols = 0;
  int64_t w_row0 = 0, w_col0 = 0;
  int64_t blocks = 1;
  int64_t cells_used = 0;
};

struct TilePlan {
  std::string layer;
  // The whole weight matrix (block-diagonal when groups > 1): groups·R·S·C/groups rows x K columns.
  int64_t weight_rows = 0, weight_cols = 0;
  int64_t groups = 1;
  // Splits of one group's matrix over tiles, and groups packed per tile (1 when a group needs splits).
  int64_t row_splits = 1, col_splits = 1;
  int64_t blocks_per_tile = 1;
  // Tiles first_tile .. first_tile + tiles - 1 (shared tiles: the lowest and the number of distinct ones).
  int64_t first_tile = 0, tiles = 0;
  std::vector<TileSlice> slices;  // tile indices are chip-wide (first_tile + local)
  int64_t cells_used = 0;         // programmed pairs = the layer's weights
  // Own tiles: tiles x tile rows x tile cols; shared tiles: the slices' rectangles.
  int64_t cells_occupied = 0;
  // Digital partial-sum additions per output pixel: (row_splits - 1) per output channel.
  int64_t psum_adds_per_pixel = 0;
  // Per output pixel: crossbar rows driven by the DACs and columns converted by the ADCs.
  int64_t rows_driven = 0, columns_read = 0;

  double utilization() const {
    return cells_occupied ? static_cast<double>(cells_used) / static_cast<double>(cells_occupied) : 0.0;
  }
};

// The plan of one conv, dwconv or fc layer on tiles numbered from first_tile. InputError naming the layer
// for any other op (recurrent layers are not mapped).
TilePlan map_layer(const CimConfig& cfg, const Layer& layer, int64_t first_tile = 0);

struct NetworkPlan {
  std::string network;
  std::vector<TilePlan> layers;      // the crossbar layers in network order, on consecutive tiles
  std::vector<std::string> digital;  // layers without weights (pool, add, ...): the digital side
  int64_t tiles_used = 0, tiles_available = 0;
  int64_t cells_used = 0, cells_occupied = 0;  // occupied: tiles_used x tile rows x tile cols

  double utilization() const {
    return cells_occupied ? static_cast<double>(cells_used) / static_cast<double>(cells_occupied) : 0.0;
  }
  const TilePlan* find(const std::string& layer) const;
};

// Allocates tiles for every crossbar layer of `net` (all weights resident). InputError when the network
// needs more tiles than the config's `tiles` (naming both numbers), when a layer's input and output do
// not fit the activation SRAM (`sram.act_kib`), or when a layer cannot be mapped (naming it).
NetworkPlan map_network(const CimConfig& cfg, const Network& net);

// A table of the plan, one line per crossbar layer and a total line (for reports and test logs).
std::string format_plan(const NetworkPlan& plan);

}  // namespace npusim::cim
