#include "models/systolic/sa_timing.h"

#include <algorithm>
#include <cmath>

#include "models/systolic/sa_geometry.h"
#include "sim/mapping/fold_plan.h"

namespace npusim::systolic {

LayerStats sa_estimate(const ArchConfig& arch, const ArrayJob& job) {
  LayerStats st;
  const SaGeometry geo = sa_geometry(arch, sa_shape(arch), job);
  const bool ws = geo.ws();
  const int64_t rows = arch.rows;
  auto dma_cycles = [&](int64_t bytes) {
    return bytes <= 0 ? int64_t{0} : static_cast<int64_t>(std::ceil(bytes / arch.dram_bytes_per_cycle - 1e-9));
  };
  int64_t n = 0, prev_n = 0, prev_slices = 0, prev_rows = 0, tw = 0;
  bool first = true;
  int64_t p_max = -1, p_max_write = 0, dma_total = 0, wgt_bits = 0;
  for (const auto& gm : job.groups) {
    const mapping::FoldPlan plan = mapping::plan_folds(gm.M, gm.K / geo.block, gm.N, geo.plan);
    for (const auto& f : plan.folds) {
      const int64_t slices = geo.slices(f);
      if (first) {
        // Operands of the first fold: weights then activations over the DRAM port.
        tw = dma_cycles(f.fetch_w_bytes);
        n = tw + dma_cycles(f.fetch_a_bytes);
        st.prologue_cycles = n;
        first = false;
      } else if (!ws) {
        // Next fold's last slice at least (TPE rows of the previous fold) after the previous one's.
        n = prev_n + prev_slices + std::max<int64_t>(0, prev_rows - slices);
      } else {
        tw = std::max(prev_n + 1, tw + rows);
        n = std::max(prev_n + prev_slices, tw);
      }
      dma_total += dma_cycles(f.fetch_w_bytes) + dma_cycles(f.fetch_a_bytes);
      st.dram_read_bytes += f.fetch_w_bytes + f.fetch_a_bytes;
      st.sram_write_bytes.wgt += f.fetch_w_bytes;
      st.sram_write_bytes.act += f.fetch_a_bytes;
      if (ws) {
        st.sram_read_bytes.act += f.m_len * f.k_len;
        st.sram_read_bytes.wgt += f.k_len * f.n_len;
        st.actions["mac"] += f.m_len * f.n_len * f.k_len;
      } else {
        for (int64_t kb = f.k0; kb < f.k0 + f.k_len; ++kb)  // once per block, held across passes
          st.sram_read_bytes.act += geo.act_read_bytes(f.m0, f.m_len, kb);
        wgt_bits += slices * f.n_len * geo.wgt_bits_per_col_slice();
        st.actions["mac"] += slices * f.m_len * f.n_len * geo.shape.p;
      }
      st.actions["mac_effective"] += f.m_len * f.n_len * f.k_len * geo.block;
      const int64_t results = f.m_len * f.n_len;
      if (!(f.first_k && f.last_k)) st.sram_write_bytes.out += 4 * results;
      if (!f.first_k) st.sram_read_bytes.out += 4 * results;
      ++st.folds;
      if (f.last_k) {
        const auto& t = plan.out_tiles[static_cast<size_t>(f.out_tile)];
        st.sram_write_bytes.out += t.bytes;
        st.sram_read_bytes.out += t.bytes;
        st.dram_write_bytes += t.bytes;
        st.actions["requant"] += t.bytes;
        dma_total += dma_cycles(t.bytes);
        const int64_t p = ws ? n + slices - 1 + rows + f.n_len - 1
                             : n + slices - 1 + geo.tpe_rows(f.m_len) + geo.tpe_cols(f.n_len) - 1;
        if (p >= p_max) {
          p_max = p;
          p_max_write = dma_cycles(t.bytes);
        }
      }
      prev_n = n;
      prev_slices = slices;
      prev_rows = ws ? f.m_len : geo.tpe_rows(f.m_len);
    }
  }
  st.sram_read_bytes.wgt += (wgt_bits + 7) / 8;
  st.cycles = p_max + p_max_write;
  // DRAM time that cannot overlap with compute shows up as stall (an estimate, not a simulation).
  st.stall_cycles = std::max<int64_t>(0, dma_total - st.cycles);
  st.cycles += st.stall_cycles;
  return st;
}

}  // namespace npusim::systolic
