#include "models/systolic/sa_geometry.h"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

namespace npusim::systolic {

SaShape sa_shape(const ArchConfig& arch) {
  SaShape s;
  s.rows = sys(arch).rows;
  s.cols = sys(arch).cols;
  s.dataflow = sys(arch).dataflow == Dataflow::WS ? 1 : 0;
  s.a = sys(arch).tpe_a;
  s.b = sys(arch).tpe_b;
  s.c = sys(arch).tpe_c;
  const std::string& mode = sys(arch).weights.mode;
  s.sparse = mode == "dbb" || mode == "vdbb";
  s.p = mode == "dbb" ? sys(arch).weights.nnz : mode == "vdbb" ? 1 : sys(arch).tpe_b;
  if (sys(arch).activations.mode == "dap") {
    // S2TA TPE: one activation and index per row; each multiplier picks among P weight slots.
    s.asparse = true;
    s.sparse = true;
    s.b = 1;
    s.p = mode == "dbb" ? sys(arch).weights.nnz : sys(arch).activations.block;
  }
  return s;
}

SaGeometry sa_geometry(const ArchConfig& arch, const SaShape& shape, const ArrayJob& job) {
  SaGeometry g;
  g.shape = shape;
  g.block = job.block;
  g.nnz = job.nnz;
  if (job.block != shape.b && !shape.asparse)
    throw std::logic_error("sa job: reduction blocks of " + std::to_string(job.block) +
                           " on tensor PEs with B = " + std::to_string(shape.b));
  g.passes = shape.sparse ? (job.nnz + shape.p - 1) / shape.p : 1;
  int bits = 0;
  while ((1 << bits) < shape.b) ++bits;
  g.idx_bits = shape.sparse ? bits : 0;
  if (shape.asparse) {
    if (!job.dap || job.a_nnz < 1) throw std::logic_error("sa job: S2TA PEs need a DAP job");
    g.a_nnz = job.a_nnz;
    bits = 0;
    while ((1 << bits) < job.block) ++bits;
    g.identity_slots = shape.p >= job.block;
    g.idx_bits = g.identity_slots ? 0 : bits;
  }
  auto& pp = g.plan;
  pp.weight_stationary = g.ws();
  pp.rows = g.ws() ? shape.rows : shape.rows * shape.a;
  pp.cols = shape.cols * shape.c;
  pp.act_bytes = sys(arch).act_kib * 1024;
  pp.wgt_bytes = sys(arch).wgt_kib * 1024;
  pp.out_bytes = sys(arch).out_kib * 1024;
  pp.act_unit_bytes = g.block;
  // Dense: B values per block; DBB: nnz values plus their in-block indices.
  pp.wgt_unit_bits = g.identity_slots ? int64_t{job.block} * 8
                     : shape.sparse   ? int64_t{job.nnz} * (8 + g.idx_bits)
                                      : int64_t{shape.b} * 8;
  g.block_real = &job.block_real;
  if (!job.block_real.empty() && !(job.hw_im2col && job.window)) {
    // DRAM moves the real activation bytes of a tile, not the padded im2col matrix.
    std::vector<int64_t> prefix(job.block_real.size() + 1, 0);
    for (size_t i = 0; i < job.block_real.size(); ++i) prefix[i + 1] = prefix[i] + job.block_real[i];
    pp.act_tile_bytes = [prefix](int64_t, int64_t m_len, int64_t k0, int64_t k_len) {
      return m_len * (prefix[static_cast<size_t>(k0 + k_len)] - prefix[static_cast<size_t>(k0)]);
    };
  }
  if (job.hw_im2col && job.window) {
    if (g.ws()) throw std::logic_error("sa job: hardware IM2COL needs the OS dataflow");
    g.unit = im2col_unit_shape(arch);
    g.window = &*job.window;
    g.channel_blocks = job.channels_padded / shape.b;
    g.channels = job.channels;
    const int64_t ch = job.channels;
    const int64_t k_blocks = job.window->R * job.window->S * g.channel_blocks;
    const mapping::ConvWindow w = *job.window;
    // Raw input pixels of the tile (all kernel rows, halo included), the chunk's share of channels.
    // Every output-channel tile and reduction chunk asks for the same pixel ranges: count each once.
    auto pixels = std::make_shared<std::map<std::pair<int64_t, int64_t>, int64_t>>();
    pp.act_tile_bytes = [w, ch, k_blocks, pixels](int64_t m0, int64_t m_len, int64_t, int64_t k_len) {
      auto [at, fresh] = pixels->try_emplace({m0, m_len}, 0);
      if (fresh) at->second = mapping::window_pixels(w, m0, m_len);
      return (at->second * ch * k_len + k_blocks - 1) / k_blocks;
    };
  }
  return g;
}

std::vector<mapping::Im2colGroup> SaGeometry::im2col_groups(const mapping::Fold& f, bool with_addr) const {
  return mapping::plan_im2col_groups(*window, channel_blocks, f.m0, f.m_len, f.k0, f.k_len, unit.depth - 1,
                                     with_addr);
}

int64_t SaGeometry::load_bytes(const mapping::Im2colGroup& g) const {
  const int64_t real = std::min<int64_t>(block, channels - g.cb * block);
  return g.pixel_count * real;
}

int64_t SaGeometry::load_cycles(const mapping::Im2colGroup& g) const {
  return (g.pixel_count + unit.lw - 1) / unit.lw;
}

DapShape dap_unit_shape(const ArchConfig& arch) {
  DapShape d;
  d.lanes = sys(arch).rows * sys(arch).tpe_a;
  d.bz = sys(arch).activations.block;
  return d;
}

Im2colShape im2col_unit_shape(const ArchConfig& arch) {
  Im2colShape u;
  u.lanes = sys(arch).rows * sys(arch).tpe_a;
  u.b = sys(arch).tpe_b;
  u.lw = u.lanes;
  u.depth = static_cast<int>(sys(arch).im2col_slots ? sys(arch).im2col_slots : int64_t{3} * u.lanes + 1);
  return u;
}

}  // namespace npusim::systolic
