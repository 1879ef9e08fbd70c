#include "models/systolic/sa_geometry.h"

#include <algorithm>
#include <stdexcept>

namespace npusim::systolic {

SaShape sa_shape(const ArchConfig& arch) {
  SaShape s;
  s.rows = arch.rows;
  s.cols = arch.cols;
  s.dataflow = arch.dataflow == Dataflow::WS ? 1 : 0;
  s.a = arch.tpe_a;
  s.b = arch.tpe_b;
  s.c = arch.tpe_c;
  const std::string& mode = arch.weights.mode;
  s.sparse = mode == "dbb" || mode == "vdbb";
  s.p = mode == "dbb" ? arch.weights.nnz : mode == "vdbb" ? 1 : arch.tpe_b;
  return s;
}

SaGeometry sa_geometry(const ArchConfig& arch, const SaShape& shape, const ArrayJob& job) {
  SaGeometry g;
  g.shape = shape;
  g.block = job.block;
  g.nnz = job.nnz;
  if (job.block != shape.b)
    throw std::logic_error("sa job: reduction blocks of " + std::to_string(job.block) + " on tensor PEs with B = " +
                           std::to_string(shape.b));
  g.passes = shape.sparse ? (job.nnz + shape.p - 1) / shape.p : 1;
  int bits = 0;
  while ((1 << bits) < shape.b) ++bits;
  g.idx_bits = shape.sparse ? bits : 0;
  auto& pp = g.plan;
  pp.weight_stationary = g.ws();
  pp.rows = g.ws() ? shape.rows : shape.rows * shape.a;
  pp.cols = shape.cols * shape.c;
  pp.act_bytes = arch.act_kib * 1024;
  pp.wgt_bytes = arch.wgt_kib * 1024;
  pp.out_bytes = arch.out_kib * 1024;
  pp.act_unit_bytes = shape.b;
  // Dense: B values per block; DBB: nnz values plus their in-block indices.
  pp.wgt_unit_bits = shape.sparse ? int64_t{job.nnz} * (8 + g.idx_bits) : int64_t{shape.b} * 8;
  if (job.hw_im2col && job.window) {
    g.window = &*job.window;
    g.channel_blocks = job.channels_padded / shape.b;
    g.channels = job.channels;
    const int64_t ch = job.channels;
    const int64_t k_blocks = job.window->R * job.window->S * g.channel_blocks;
    const mapping::ConvWindow w = *job.window;
    // Raw input pixels of the tile (all kernel rows, halo included), the chunk's share of channels.
    pp.act_tile_bytes = [w, ch, k_blocks](int64_t m0, int64_t m_len, int64_t, int64_t k_len) {
      return (mapping::window_pixels(w, m0, m_len) * ch * k_len + k_blocks - 1) / k_blocks;
    };
  }
  return g;
}

int64_t SaGeometry::act_read_bytes(int64_t m0, int64_t m_len, int64_t kb) const {
  if (!window) return m_len * block;
  const int64_t S = window->S;
  if (kb % S != 0) return 0;  // the row buffer already holds this kernel row
  const int64_t r = kb / (channel_blocks * S), cb = (kb / S) % channel_blocks;
  const int64_t real = std::min<int64_t>(block, channels - cb * block);
  return mapping::window_row_pixels(*window, m0, m_len, r) * real;
}

}  // namespace npusim::systolic
