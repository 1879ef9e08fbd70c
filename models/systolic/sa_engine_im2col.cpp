// SaEngine with hardware IM2COL: bank loads of raw input pixels run ahead of the stream; the sequencer
// decides each slice one cycle before the array edge (the unit's read latency).
#include "models/systolic/sa_engine.h"

namespace npusim::systolic {

void SaEngine::plan_groups(int64_t fold) {
  const FoldRef& fr = folds_[static_cast<size_t>(fold)];
  fold_group_.push_back(static_cast<int64_t>(groups_.size()));
  for (auto& g : geo_.im2col_groups(fr.f, true)) {
    LoadGroup lg;
    lg.fold = fold;
    lg.cycles = geo_.load_cycles(g);
    lg.slice_end = (g.kb0 + g.nb - fr.f.k0) * geo_.passes;
    lg.g = std::move(g);
    groups_.push_back(std::move(lg));
  }
}

// A load waits for its bank (the group two back fully read), the load port, and the fold's input
// tile in the activation SRAM; it writes LW pixel blocks per cycle into slots 1, 2, ...
void SaEngine::load_step(Im2colInputs& u) {
  const int64_t nf = static_cast<int64_t>(folds_.size());
  for (;;) {
    while (load_g_ >= static_cast<int64_t>(groups_.size()) && static_cast<int64_t>(fold_group_.size()) < nf)
      plan_groups(static_cast<int64_t>(fold_group_.size()));
    if (load_g_ >= static_cast<int64_t>(groups_.size())) return;
    LoadGroup& lg = groups_[static_cast<size_t>(load_g_)];
    if (load_done_ == 0) {
      const bool bank_free = load_g_ < 2 || (reads_done_ >= load_g_ - 1 &&
                                             groups_[static_cast<size_t>(load_g_ - 2)].last_read < t_);
      if (!bank_free || !a_ready_[static_cast<size_t>(lg.fold)]) return;
      lg.load_start = t_;
      const uint64_t ideal_start =
          load_g_ == 0 ? t_
                       : std::max(groups_[static_cast<size_t>(load_g_ - 1)].ideal_end + 1,
                                  load_g_ >= 2 ? groups_[static_cast<size_t>(load_g_ - 2)].last_read + 1 : 0);
      lg.ideal_end = ideal_start + static_cast<uint64_t>(lg.cycles) - 1;
      if (lg.cycles == 0) {  // every pixel of the group is padding: nothing to load
        lg.load_end = t_ - 1;
        lg.loaded = true;
        ++load_g_;
        continue;
      }
    }
    const FoldRef& fr = folds_[static_cast<size_t>(lg.fold)];
    const Im2colShape& us = unit_->shape();
    const int B = us.b;
    const int64_t first = load_done_ * us.lw, n = lg.g.pixel_count;
    const int64_t C = job_->input.size() / (job_->window->batch * job_->window->H * job_->window->W);
    const int64_t c0 = fr.group * job_->channels + lg.g.cb * B;
    const int64_t real = std::min<int64_t>(B, job_->channels - lg.g.cb * B);
    u.ld_valid = true;
    u.ld_bank = (load_g_ & 1) != 0;
    u.ld_addr = static_cast<uint32_t>(1 + first);
    for (int64_t l = 0; l < us.lw && first + l < n; ++l) {
      const int8_t* px = &job_->input[lg.g.pixels[static_cast<size_t>(first + l)] * C + c0];
      std::copy_n(px, real, &u.ld_data[static_cast<size_t>(l * B)]);
      u.ld_mask[static_cast<size_t>(l)] = 1;
      result_.stats.sram_read_bytes["act"] += real;
    }
    ++result_.stats.actions["im2col_load"];
    if (++load_done_ == lg.cycles) {
      lg.load_end = t_;
      lg.loaded = true;
      ++load_g_;
      load_done_ = 0;
    }
    return;
  }
}

// Would group g be readable by now had no load waited for DRAM? (Then waiting for it is a stall;
// otherwise the wait is the unit's structural load time, which the closed form models.)
bool SaEngine::waits_on_dram(int64_t g) const {
  const LoadGroup& lg = groups_[static_cast<size_t>(g)];
  if (g < load_g_ || load_done_ > 0) return lg.ideal_end < t_;  // started: its ideal end is known
  // Not started (the stream waits on it, so every earlier group is loaded and g - 2 is read out).
  if (g == 0) return true;
  const uint64_t start = std::max(groups_[static_cast<size_t>(g - 1)].ideal_end + 1,
                                  g >= 2 ? groups_[static_cast<size_t>(g - 2)].last_read + 1 : uint64_t{0});
  return start + static_cast<uint64_t>(lg.cycles) - 1 < t_;
}

void SaEngine::drive_os_im2col(SaInputs& next, Im2colInputs& u) {
  const uint64_t edge = t_ + 1;  // the array edge of a slice read from the unit now
  if (stream_fold_ < 0 && next_fold_ < static_cast<int64_t>(folds_.size())) {
    // The fold's first bank load must be in (at an edge before this read).
    const int64_t f = next_fold_;
    const bool planned = static_cast<int64_t>(fold_group_.size()) > f;
    const int64_t g0 = planned ? fold_group_[static_cast<size_t>(f)] : -1;
    const bool loaded = planned && group_ready(g0);
    if (try_start_fold(edge, loaded, !planned || (!loaded && waits_on_dram(g0)))) read_g_ = g0;
  }
  if (stream_fold_ < 0) return;
  const FoldRef& fr = folds_[static_cast<size_t>(stream_fold_)];
  const auto& fd = fr.f;
  if (slice_ == groups_[static_cast<size_t>(read_g_)].slice_end) ++read_g_;  // next load of the fold
  LoadGroup& lg = groups_[static_cast<size_t>(read_g_)];
  if (!group_ready(read_g_)) {  // the bank is still loading: a bubble inside the fold
    ++result_.stats.actions["im2col_bubble"];
    if (waits_on_dram(read_g_)) ++result_.stats.stall_cycles;
    return;
  }
  const int64_t kb = fd.k0 + slice_ / geo_.passes, pass = slice_ % geo_.passes;
  const int64_t j = kb - lg.g.kb0;
  u.rd_valid = true;
  u.rd_bank = (read_g_ & 1) != 0;
  for (int64_t m = 0; m < fd.m_len; ++m) {
    u.rd_addr[static_cast<size_t>(m)] = lg.g.addr[static_cast<size_t>(j * fd.m_len + m)];
    u.rd_mask[static_cast<size_t>(m)] = 1;
    next.a_mask[static_cast<size_t>(m)] = 1;
  }
  ++result_.stats.actions["im2col_read"];
  lg.last_read = t_;
  next.in_valid = true;
  next.in_first = slice_ == 0;
  next.in_last = slice_ == geo_.slices(fd) - 1;
  fill_weights(next, fr, kb, pass);
  if (slice_ + 1 == lg.slice_end) {
    reads_done_ = read_g_ + 1;
    std::vector<int64_t>().swap(lg.g.pixels);  // read out: free the tables
    std::vector<uint32_t>().swap(lg.g.addr);
  }
  end_slice(next, fd, edge);
}

// The slice that reaches the array at edge t_ + 2 is decided now: if it is the first of its block, the
// block's activations (one lane per activation row) enter the DAP unit, whose compacted outputs arrive
// with the slice and are held for the block's a_nnz x passes slices.

}  // namespace npusim::systolic
