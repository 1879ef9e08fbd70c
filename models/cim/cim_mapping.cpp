#include "models/cim/cim_mapping.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/common/error.h"

namespace npusim::cim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// Groups packed along a tile's diagonal: blocks_per_tile consecutive groups share one tile.
void pack_blocks(const CimConfig& cfg, int64_t kg, int64_t ng, TilePlan& p) {
  const int64_t per_tile = std::min(cfg.tile_rows / kg, cfg.tile_cols / ng);
  p.blocks_per_tile = per_tile;
  for (int64_t g0 = 0, t = 0; g0 < p.groups; g0 += per_tile, ++t) {
    const int64_t n = std::min(per_tile, p.groups - g0);
    p.slices.push_back({p.first_tile + t, 0, n * kg, 0, n * ng, g0 * kg, g0 * ng, n, n * kg * ng});
  }
  p.tiles = ceil_div(p.groups, per_tile);
}

// Each group's dense matrix split into row_splits x col_splits rectangles, one tile each.
void split_dense(const CimConfig& cfg, int64_t kg, int64_t ng, TilePlan& p) {
  p.row_splits = ceil_div(kg, cfg.tile_rows);
  p.col_splits = ceil_div(ng, cfg.tile_cols);
  int64_t t = p.first_tile;
  for (int64_t g = 0; g < p.groups; ++g)
    for (int64_t i = 0; i < p.row_splits; ++i)
      for (int64_t j = 0; j < p.col_splits; ++j) {
        const int64_t rows = std::min(cfg.tile_rows, kg - i * cfg.tile_rows);
        const int64_t cols = std::min(cfg.tile_cols, ng - j * cfg.tile_cols);
        p.slices.push_back(
            {t++, 0, rows, 0, cols, g * kg + i * cfg.tile_rows, g * ng + j * cfg.tile_cols, 1, rows * cols});
      }
  p.tiles = t - p.first_tile;
}

// Shared tiles: slices of any layers stacked along each tile's diagonal (disjoint rows and columns), first
// fit in network order. An idle layer's rows are not driven, so its cells carry no current and the active
// layer's columns read exactly its own weights.
struct SharedTiles {
  struct Fill {
    int64_t row = 0, col = 0;
  };
  std::vector<Fill> fill;

  void place(const CimConfig& cfg, TilePlan& p) {
    std::vector<int64_t> touched;
    p.cells_occupied = 0;
    for (TileSlice& s : p.slices) {
      size_t t = 0;
      while (t < fill.size() &&
             (fill[t].row + s.rows > cfg.tile_rows || fill[t].col + s.cols > cfg.tile_cols))
        ++t;
      if (t == fill.size()) fill.push_back({});
      s.tile = static_cast<int64_t>(t);
      s.row0 = fill[t].row;
      s.col0 = fill[t].col;
      fill[t].row += s.rows;
      fill[t].col += s.cols;
      p.cells_occupied += s.rows * s.cols;
      if (std::find(touched.begin(), touched.end(), s.tile) == touched.end()) touched.push_back(s.tile);
    }
    p.first_tile = *std::min_element(touched.begin(), touched.end());
    p.tiles = static_cast<int64_t>(touched.size());
  }
};

}  // namespace

TilePlan map_layer(const CimConfig& cfg, const Layer& layer, int64_t first_tile) {
  if (layer.op != OpType::Conv && layer.op != OpType::DwConv && layer.op != OpType::Fc)
    throw InputError(layer.source + ": layer '" + layer.name + "' (" + to_string(layer.op) +
                     ") cannot be mapped onto the cim tiles: only conv, dwconv and fc weights go on the "
                     "crossbars" +
                     (layer.is_recurrent() ? " (recurrent layers are not mapped yet)" : ""));
  TilePlan p;
  p.layer = layer.name;
  p.groups = layer.groups;
  p.first_tile = first_tile;
  const int64_t kg = layer.gemm_k(), ng = layer.gemm_n();  // one group's im2col rows and columns
  p.weight_rows = p.groups * kg;
  p.weight_cols = layer.K;
  if (p.groups > 1 && kg <= cfg.tile_rows && ng <= cfg.tile_cols)
    pack_blocks(cfg, kg, ng, p);
  else
    split_dense(cfg, kg, ng, p);
  for (const TileSlice& s : p.slices) {
    p.cells_used += s.cells_used;
    p.rows_driven += s.rows;
    p.columns_read += s.cols;
  }
  p.cells_occupied = p.tiles * cfg.tile_rows * cfg.tile_cols;
  p.psum_adds_per_pixel = (p.row_splits - 1) * layer.K;
  return p;
}

const TilePlan* NetworkPlan::find(const std::string& layer) const {
  for (const TilePlan& p : layers)
    if (p.layer == layer) return &p;
  return nullptr;
}

NetworkPlan map_network(const CimConfig& cfg, const Network& net) {
  NetworkPlan plan;
  plan.network = net.name;
  plan.tiles_available = cfg.tiles;
  const int64_t sram_bytes = cfg.act_sram_kib * 1024;
  SharedTiles shared;
  for (const Layer& l : net.layers) {
    // Pools, adds and the other weightless ops run in the digital periphery; recurrent layers have
    // weights and are refused by map_layer.
    if (std::string(l.unit()) != "array") {
      plan.digital.push_back(l.name);
      continue;
    }
    TilePlan p = map_layer(cfg, l, plan.tiles_used);
    // Layer-serial: the SRAM holds the layer's whole input and output feature maps at the DAC width.
    const int64_t elems = l.H * l.W * l.C * l.batch + l.out_h * l.out_w * l.K * l.batch;
    const int64_t bytes = ceil_div(elems * cfg.dac_bits, 8);
    if (bytes > sram_bytes)
      throw InputError(
          fmt::format("{}: sram.act_kib: layer '{}' ({}) needs {} bytes of activation SRAM for its "
                      "input and output, the config has {} KiB = {} bytes",
                      cfg.source, l.name, l.source, bytes, cfg.act_sram_kib, sram_bytes));
    if (cfg.share_tiles)
      shared.place(cfg, p);
    else
      plan.tiles_used += p.tiles;
    plan.cells_used += p.cells_used;
    plan.layers.push_back(std::move(p));
  }
  if (cfg.share_tiles) plan.tiles_used = static_cast<int64_t>(shared.fill.size());
  plan.cells_occupied = plan.tiles_used * cfg.tile_rows * cfg.tile_cols;
  if (plan.tiles_used > cfg.tiles)
    throw InputError(
        fmt::format("{}: tiles: network '{}' needs {} tiles of {}x{} (all weights resident, {} "
                    "crossbar layers{}), the config has {}",
                    cfg.source, net.name, plan.tiles_used, cfg.tile_rows, cfg.tile_cols, plan.layers.size(),
                    cfg.share_tiles ? ", sharing tiles" : "", cfg.tiles));
  return plan;
}

std::string format_plan(const NetworkPlan& plan) {
  std::string out = fmt::format("{:<40} {:>11} {:>6} {:>9} {:>5} {:>7} {:>6}\n", "layer", "matrix", "tiles",
                                "splits", "diag", "util", "psum+");
  for (const TilePlan& p : plan.layers)
    out += fmt::format("{:<40} {:>11} {:>6} {:>9} {:>5} {:>6.2f}% {:>6}\n", p.layer,
                       fmt::format("{}x{}", p.weight_rows, p.weight_cols), p.tiles,
                       fmt::format("{}x{}", p.row_splits, p.col_splits), p.blocks_per_tile,
                       100.0 * p.utilization(), p.psum_adds_per_pixel);
  out += fmt::format("{}: {} of {} tiles, utilization {:.2f}%, {} digital layers\n", plan.network,
                     plan.tiles_used, plan.tiles_available, 100.0 * plan.utilization(), plan.digital.size());
  return out;
}

}  // namespace npusim::cim
