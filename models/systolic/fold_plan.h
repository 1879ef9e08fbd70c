#pragma once
// Tiling of a GEMM onto a rows x cols array ("folds") and the DRAM traffic that the buffer sizes
// imply. A fold is one pass of the array: OS streams k_len slices into an m_len x n_len output tile;
// WS holds a k_len x n_len weight tile and streams m_len activation rows through it.
// Residency: each buffer is an LRU cache of operand tiles with the buffer's capacity; a tile is never
// larger than half of its buffer, so the tile in use and the one being prefetched both fit
// (double buffering).
#include <cstdint>
#include <functional>
#include <vector>

namespace npusim::mapping {

struct FoldPlanParams {
  int rows = 1, cols = 1;          // OS: output tile rows x cols (array rows*A x cols*C); WS: K x N tile
  bool weight_stationary = false;
  int64_t act_bytes = 0, wgt_bytes = 0, out_bytes = 0;  // buffer capacities
  // K is counted in units (one unit = one B-block of the reduction for tensor PEs, 1 element for SA):
  int64_t act_unit_bytes = 1;      // activation bytes per output row per K unit
  int64_t wgt_unit_bits = 8;       // weight bits per output column per K unit (values + DBB indices)
  // Bytes of an activation tile (m0, m_len, k0, k_len), if not m_len * k_len * act_unit_bytes
  // (hardware IM2COL: raw input pixels rather than im2col rows).
  std::function<int64_t(int64_t, int64_t, int64_t, int64_t)> act_tile_bytes;
  // Fold order: N tiles outermost (weight tiles reused across M), M tiles outermost (activation tiles
  // reused across N), or whichever of the two moves fewer bytes from DRAM (ties: N outermost).
  enum class Order { NOuter, MOuter, Auto } order = Order::Auto;
};

struct Fold {
  int64_t m0 = 0, m_len = 0, k0 = 0, k_len = 0, n0 = 0, n_len = 0;
  bool first_k = true, last_k = true;  // first/last reduction chunk of its output tile
  int64_t out_tile = 0;                // index into FoldPlan::out_tiles
  int64_t fetch_a_bytes = 0;           // DRAM -> act buffer before this fold (0: resident)
  int64_t fetch_w_bytes = 0;           // DRAM -> wgt buffer before this fold
};

// Bytes of a weight tile of k units x n columns.
inline int64_t weight_tile_bytes(int64_t k_units, int64_t n, int64_t unit_bits) {
  return (k_units * n * unit_bits + 7) / 8;
}

struct OutTile {
  int64_t m0, m_len, n0, n_len;
  int64_t bytes;          // int8 results written back to DRAM
  int64_t reserve_bytes;  // space held in the output buffer while the tile is live
};

struct FoldPlan {
  int64_t M = 0, K = 0, N = 0;
  int64_t tile_m = 0, tile_k = 0, tile_n = 0;
  int64_t k_chunks = 1;
  bool m_outer = false;  // the order chosen
  std::vector<Fold> folds;
  std::vector<OutTile> out_tiles;
  int64_t dram_read_bytes() const;
  int64_t dram_write_bytes() const;
};

// K in units (see FoldPlanParams). Throws InputError if a single tile cannot fit (buffers too small).
FoldPlan plan_folds(int64_t M, int64_t K, int64_t N, const FoldPlanParams& p);

}  // namespace npusim::mapping
