#include "models/systolic/sa_timing.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "models/systolic/fold_plan.h"
#include "models/systolic/sa_cost.h"
#include "models/systolic/sa_geometry.h"

namespace npusim::systolic {

LayerStats sa_estimate(const ArchConfig& arch, const ArrayJob& job) {
  LayerStats st;
  const SaGeometry geo = sa_geometry(arch, sa_shape(arch), job);
  const bool ws = geo.ws();
  const int64_t rows = sys(arch).rows;
  auto dma_cycles = [&](int64_t bytes) {
    return bytes <= 0 ? int64_t{0}
                      : static_cast<int64_t>(std::ceil(bytes / arch.dram_bytes_per_cycle - 1e-9));
  };
  int64_t n = 0, prev_n = 0, prev_slices = 0, prev_rows = 0, prev_last = 0, tw = 0, prologue = 0;
  bool first = true;
  int64_t p_max = -1, p_max_write = 0, dma_total = 0, wgt_bits = 0, toggle_est = 0;
  // Hardware IM2COL: bank loads in global order (bank = index % 2), as the engine schedules them.
  int64_t load_end = -1, ideal_g = 0, loads = 0, reads = 0, bubbles = 0;
  int64_t last_read[2] = {-1, -1};  // last read edge of the two groups before the next one
  // Counters of the fold loop, kept out of the stats' string-keyed maps until the end (hot loop).
  int64_t act_rd = 0, act_wr = 0, wgt_rd = 0, wgt_wr = 0, out_rd = 0, out_wr = 0;
  int64_t macs = 0, macs_effective = 0, dap_blocks = 0, folds = 0, requants = 0;
  // The bank loads of a fold depend only on its (m, k) window, which every output-channel tile repeats.
  struct Load {
    int64_t cycles, bytes, nb;
  };
  struct KeyHash {
    size_t operator()(const std::array<int64_t, 4>& k) const {
      size_t h = 0;
      for (int64_t v : k) h = h * 0x9E3779B97F4A7C15ull + std::hash<int64_t>()(v);
      return h;
    }
  };
  std::unordered_map<std::array<int64_t, 4>, std::vector<Load>, KeyHash> loads_of;
  for (const auto& gm : job.groups) {
    mapping::FoldPlan plan = mapping::plan_folds(gm.M, gm.K / geo.block, gm.N, geo.plan);
    if (job.weights_resident)
      for (auto& f : plan.folds) f.fetch_w_bytes = 0;  // already in the weight buffer
    for (const auto& f : plan.folds) {
      const int64_t slices = geo.slices(f);
      if (first) {
        // Operands of the first fold: weights then activations over the DRAM port.
        tw = dma_cycles(f.fetch_w_bytes);
        n = tw + dma_cycles(f.fetch_a_bytes);
        prologue = n;
        if (geo.shape.asparse) n += 2;  // the DAP unit's two edges of latency before the first slice
        st.prologue_cycles = n;
      } else if (!ws) {
        // Next fold's last slice at least (TPE rows of the previous fold) after the previous one's.
        n = prev_last + 1 + std::max<int64_t>(0, prev_rows - slices);
      } else {
        tw = std::max(prev_n + 1, tw + rows);
        n = std::max(prev_n + prev_slices, tw);
      }
      int64_t last = n + slices - 1;  // array edge of the fold's last slice
      if (geo.window) {
        // Each load starts once the load port is free, its bank's previous group is read out (and, in
        // the first fold, the input tile has arrived); reads run one edge ahead of the array.
        int64_t read = 0;
        auto [at, fresh] = loads_of.try_emplace({f.m0, f.m_len, f.k0, f.k_len});
        if (fresh)
          for (const auto& g : geo.im2col_groups(f, false))
            at->second.push_back({geo.load_cycles(g), geo.load_bytes(g), g.nb});
        const std::vector<Load>& groups = at->second;
        for (size_t j = 0; j < groups.size(); ++j) {
          const Load& g = groups[j];
          const int64_t cycles = g.cycles;
          const int64_t start =
              std::max({load_end + 1, last_read[ideal_g % 2] + 1, first ? prologue : int64_t{0}});
          load_end = start + cycles - 1;
          loads += cycles;
          act_rd += g.bytes;
          const int64_t ready = load_end + 1, d = g.nb * geo.passes;
          if (j == 0) {
            read = std::max(n - 1, ready);
            if (first) st.prologue_cycles = read + 1;
            n = read + 1;
          } else {
            bubbles += std::max<int64_t>(0, ready - read);
            read = std::max(read, ready);
          }
          last_read[ideal_g % 2] = read + d - 1;
          ++ideal_g;
          read += d;
        }
        last = read;  // the last read edge + 1
        reads += slices;
      }
      dma_total += dma_cycles(f.fetch_w_bytes) + dma_cycles(f.fetch_a_bytes);
      st.dram_read_bytes += f.fetch_w_bytes + f.fetch_a_bytes;
      wgt_wr += f.fetch_w_bytes;
      act_wr += f.fetch_a_bytes;
      if (ws) {
        act_rd += f.m_len * f.k_len;
        wgt_rd += f.k_len * f.n_len;
        macs += f.m_len * f.n_len * f.k_len;
      } else {
        if (!geo.window)
          for (int64_t kb = f.k0; kb < f.k0 + f.k_len; ++kb)  // once per block, held across passes
            act_rd += geo.act_read_bytes(f.m_len, kb);
        wgt_bits += slices / geo.slices_per_weight_read() * f.n_len * geo.wgt_bits_per_col_slice();
        // No values here: operand registers are taken to toggle half their bits per slice.
        const SaShape& s = geo.shape;
        const int64_t row_bits = s.b * 8 + (s.asparse ? 4 : 0), col_bits = s.p * (8 + (s.sparse ? 4 : 0));
        toggle_est += slices * (f.m_len * row_bits * s.cols + f.n_len * col_bits * s.rows) / 2;
        macs += slices * f.m_len * f.n_len * geo.shape.mults();
        if (geo.shape.asparse) dap_blocks += f.k_len * f.m_len;
      }
      macs_effective += f.m_len * f.n_len * f.k_len * geo.block;
      const int64_t results = f.m_len * f.n_len;
      if (!(f.first_k && f.last_k)) out_wr += 4 * results;
      if (!f.first_k) out_rd += 4 * results;
      ++folds;
      if (f.last_k) {
        const auto& t = plan.out_tiles[static_cast<size_t>(f.out_tile)];
        out_wr += t.bytes;
        out_rd += t.bytes;
        st.dram_write_bytes += t.bytes;
        requants += t.bytes;
        dma_total += dma_cycles(t.bytes);
        const int64_t p = ws ? n + slices - 1 + rows + f.n_len - 1
                             : last + geo.tpe_rows(f.m_len) + geo.tpe_cols(f.n_len) - 1;
        if (p >= p_max) {
          p_max = p;
          p_max_write = dma_cycles(t.bytes);
        }
      }
      first = false;
      prev_n = n;
      prev_last = last;
      prev_slices = slices;
      prev_rows = ws ? f.m_len : geo.tpe_rows(f.m_len);
    }
  }
  st.sram_read_bytes["act"] += act_rd;
  st.sram_write_bytes["act"] += act_wr;
  st.sram_read_bytes["wgt"] += wgt_rd + (wgt_bits + 7) / 8;
  st.sram_write_bytes["wgt"] += wgt_wr;
  st.sram_read_bytes["out"] += out_rd;
  st.sram_write_bytes["out"] += out_wr;
  st.actions["mac"] += macs;
  st.actions["mac_effective"] += macs_effective;
  if (geo.shape.asparse && !ws) st.actions["dap_block"] += dap_blocks;
  st.actions["fold"] += folds;
  st.actions["requant"] += requants;
  if (!ws) st.actions["operand_toggle_bits"] += toggle_est;
  if (geo.window) {
    st.actions["im2col_load"] += loads;
    st.actions["im2col_read"] += reads;
    st.actions["im2col_bubble"] += bubbles;
  }
  st.cycles = p_max + p_max_write;
  // DRAM time that cannot overlap with compute shows up as stall (an estimate, not a simulation).
  st.stall_cycles = std::max<int64_t>(0, dma_total - st.cycles);
  st.cycles += st.stall_cycles;
  finalize_actions(arch, geo, false, st);
  return st;
}

}  // namespace npusim::systolic
