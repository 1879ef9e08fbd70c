#include "models/systolic/fold_plan.h"

#include <algorithm>
#include <list>
#include <map>
#include <string>
#include <utility>

#include "sim/common/error.h"

namespace npusim::mapping {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// LRU set of tiles with a byte capacity; touch() returns the bytes to fetch (0 if resident).
class TileCache {
 public:
  explicit TileCache(int64_t capacity) : capacity_(capacity) {}
  int64_t touch(std::pair<int64_t, int64_t> key, int64_t bytes) {
    auto it = where_.find(key);
    if (it != where_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return 0;
    }
    while (used_ + bytes > capacity_ && !lru_.empty()) {
      used_ -= lru_.back().second;
      where_.erase(lru_.back().first);
      lru_.pop_back();
    }
    lru_.emplace_front(key, bytes);
    where_[key] = lru_.begin();
    used_ += bytes;
    return bytes;
  }

 private:
  using Entry = std::pair<std::pair<int64_t, int64_t>, int64_t>;
  int64_t capacity_, used_ = 0;
  std::list<Entry> lru_;
  std::map<std::pair<int64_t, int64_t>, std::list<Entry>::iterator> where_;
};

}  // namespace

int64_t FoldPlan::dram_read_bytes() const {
  int64_t b = 0;
  for (const auto& f : folds) b += f.fetch_a_bytes + f.fetch_w_bytes;
  return b;
}

int64_t FoldPlan::dram_write_bytes() const {
  int64_t b = 0;
  for (const auto& t : out_tiles) b += t.bytes;
  return b;
}

FoldPlan plan_folds(int64_t M, int64_t K, int64_t N, const FoldPlanParams& p) {
  FoldPlan plan;
  plan.M = M;
  plan.K = K;
  plan.N = N;
  const int64_t act_half = p.act_bytes / 2, wgt_half = p.wgt_bytes / 2, out_half = p.out_bytes / 2;
  if (!p.weight_stationary) {
    // OS: rows x cols output tile; the reduction is chunked only if an operand tile would not fit.
    plan.tile_m = p.rows;
    plan.tile_n = p.cols;
    const int64_t kc = std::min(act_half / (p.rows * p.act_unit_bytes), wgt_half * 8 / (p.cols * p.wgt_unit_bits));
    if (kc < 1 || out_half < int64_t{p.rows} * p.cols * 4)
      throw InputError("buffers: too small for a " + std::to_string(p.rows) + "x" + std::to_string(p.cols) +
                       " array (one operand tile must fit in half of each buffer)");
    plan.tile_k = std::min(K, kc);
  } else {
    // WS: rows x cols weight tile; a chunk of M rows is streamed whose int32 partial sums fit in half
    // of the output buffer and whose activations fit in half of the activation buffer.
    plan.tile_k = p.rows;
    plan.tile_n = p.cols;
    const int64_t mc = std::min(out_half / (int64_t{p.cols} * 4), act_half / p.rows);
    if (mc < 1 || wgt_half < int64_t{p.rows} * p.cols)
      throw InputError("buffers: too small for a " + std::to_string(p.rows) + "x" + std::to_string(p.cols) +
                       " array (one operand tile must fit in half of each buffer)");
    plan.tile_m = std::min(M, mc);
  }
  plan.k_chunks = ceil_div(K, plan.tile_k);
  if (p.order == FoldPlanParams::Order::Auto) {
    FoldPlanParams q = p;
    q.order = FoldPlanParams::Order::NOuter;
    FoldPlan n_outer = plan_folds(M, K, N, q);
    q.order = FoldPlanParams::Order::MOuter;
    FoldPlan m_outer = plan_folds(M, K, N, q);
    return m_outer.dram_read_bytes() < n_outer.dram_read_bytes() ? m_outer : n_outer;
  }
  plan.m_outer = p.order == FoldPlanParams::Order::MOuter;
  TileCache acache(p.act_bytes), wcache(p.wgt_bytes);
  const int64_t mt = ceil_div(M, plan.tile_m), nt = ceil_div(N, plan.tile_n), kt = plan.k_chunks;
  const int64_t outer = plan.m_outer ? mt : nt, inner = plan.m_outer ? nt : mt;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t mi = plan.m_outer ? o : i, ni = plan.m_outer ? i : o;
      OutTile ot;
      ot.m0 = mi * plan.tile_m;
      ot.m_len = std::min(plan.tile_m, M - ot.m0);
      ot.n0 = ni * plan.tile_n;
      ot.n_len = std::min(plan.tile_n, N - ot.n0);
      ot.bytes = ot.m_len * ot.n_len;
      ot.reserve_bytes = ot.m_len * ot.n_len * 4;  // int32 accumulators until requantized
      const int64_t tile_index = static_cast<int64_t>(plan.out_tiles.size());
      plan.out_tiles.push_back(ot);
      for (int64_t ki = 0; ki < kt; ++ki) {
        Fold f;
        f.m0 = ot.m0;
        f.m_len = ot.m_len;
        f.n0 = ot.n0;
        f.n_len = ot.n_len;
        f.k0 = ki * plan.tile_k;
        f.k_len = std::min(plan.tile_k, K - f.k0);
        f.first_k = ki == 0;
        f.last_k = ki == kt - 1;
        f.out_tile = tile_index;
        f.fetch_w_bytes = wcache.touch({ki, ni}, weight_tile_bytes(f.k_len, f.n_len, p.wgt_unit_bits));
        f.fetch_a_bytes = acache.touch({mi, ki}, p.act_tile_bytes ? p.act_tile_bytes(f.m0, f.m_len, f.k0, f.k_len)
                                                                  : f.m_len * f.k_len * p.act_unit_bytes);
        plan.folds.push_back(f);
      }
    }
  return plan;
}

}  // namespace npusim::mapping
