// SaEngine in the weight-stationary dataflow: the weight writer and the activation stream.
#include "models/systolic/sa_engine.h"

namespace npusim::systolic {

void SaEngine::drive_ws(SaInputs& in) {
  const int64_t nf = static_cast<int64_t>(folds_.size());
  // Weight writer: fold f's rows go into the shadow registers once fold f-1 has started streaming
  // (so every PE has swapped to f-1's weights) and the writer is free.
  if (wwriting_ < 0 && wfold_ < nf) {
    const int64_t f = wfold_;
    const uint64_t prev_start = f == 0 ? 0 : stream_start_[static_cast<size_t>(f - 1)];
    const bool after_prev = f == 0 || (prev_start != kUnset && t_ >= prev_start + 1);
    if (t_ >= writer_free_at_ && after_prev && w_ready_[static_cast<size_t>(f)]) {
      wwriting_ = f;
      wrow_ = 0;
      tw_[static_cast<size_t>(f)] = t_;
      enqueue_fetch(f + 1);
    }
  }
  if (wwriting_ >= 0) {
    const FoldRef& fr = folds_[static_cast<size_t>(wwriting_)];
    const auto& gm = job_->groups[static_cast<size_t>(fr.group)];
    in.w_wr = true;
    in.w_row = static_cast<uint32_t>(wrow_);
    if (wrow_ < fr.f.k_len) {
      for (int64_t c = 0; c < fr.f.n_len; ++c) {
        in.w_in[static_cast<size_t>(c)] = gm.B[(fr.f.k0 + wrow_) * gm.N + fr.f.n0 + c];
        in.w_mask[static_cast<size_t>(c)] = 1;
      }
      result_.stats.sram_read_bytes["wgt"] += fr.f.n_len;
    }
    if (++wrow_ == shape_.rows) {
      wwriting_ = -1;
      ++wfold_;
      writer_free_at_ = t_ + 1;
    }
  }
  if (stream_fold_ < 0 && next_fold_ < nf) {
    const int64_t f = next_fold_;
    const bool structural_ok = t_ >= stream_free_at_;
    const bool weights_on_way = tw_[static_cast<size_t>(f)] != kUnset;
    if (structural_ok && weights_on_way && a_ready_[static_cast<size_t>(f)] && can_reserve(f)) {
      start_fold(f, t_);
    } else if (structural_ok && any_started_) {
      ++result_.stats.stall_cycles;
    }
  }
  if (stream_fold_ < 0) return;
  const FoldRef& fr = folds_[static_cast<size_t>(stream_fold_)];
  const auto& fd = fr.f;
  const auto& gm = job_->groups[static_cast<size_t>(fr.group)];
  const int64_t m = fd.m0 + slice_;
  in.in_valid = true;
  in.in_first = slice_ == 0;
  in.in_last = slice_ == fd.m_len - 1;
  for (int64_t r = 0; r < fd.k_len; ++r) {
    in.a_in[static_cast<size_t>(r)] = gm.A[m * gm.K + fd.k0 + r];
    in.a_mask[static_cast<size_t>(r)] = 1;
  }
  result_.stats.sram_read_bytes["act"] += fd.k_len;
  if (in.in_last) {
    stream_fold_ = -1;
    stream_free_at_ = t_ + 1;
  } else {
    ++slice_;
  }
}

}  // namespace npusim::systolic
