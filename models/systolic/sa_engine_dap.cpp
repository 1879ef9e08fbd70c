// SaEngine on S2TA designs: activations pass the DAP unit; the sequencer decides each slice two edges
// ahead (the unit's latency).
#include "models/systolic/sa_engine.h"

namespace npusim::systolic {

void SaEngine::drive_os_dap(int64_t slot, DapInputs& d) {
  Pending& pd = ring_[static_cast<size_t>(slot)];
  pd.in.clear_operands();
  pd.latch = false;
  const uint64_t edge = t_ + 2;
  try_start_fold(edge, true, false);
  if (stream_fold_ < 0) return;
  const FoldRef& fr = folds_[static_cast<size_t>(stream_fold_)];
  const auto& fd = fr.f;
  const auto& gm = job_->groups[static_cast<size_t>(fr.group)];
  const int64_t per_block = geo_.a_nnz * geo_.passes, in_block = slice_ % per_block;
  const int64_t kb = fd.k0 + slice_ / per_block, pass = in_block / geo_.a_nnz;
  pd.j = static_cast<int>(in_block % geo_.a_nnz);
  SaInputs& in = pd.in;
  in.in_valid = true;
  in.in_first = slice_ == 0;
  in.in_last = slice_ == geo_.slices(fd) - 1;
  for (int64_t r = 0; r < fd.m_len; ++r) in.a_mask[static_cast<size_t>(r)] = 1;
  if (in_block == 0) {
    // Raw activations of block kb (read from SRAM once per block) into the DAP unit.
    const int B = geo_.block;
    d.in_valid = true;
    d.nnz = static_cast<uint32_t>(geo_.a_nnz);
    for (int64_t r = 0; r < fd.m_len; ++r)
      std::copy_n(&gm.A[(fd.m0 + r) * gm.K + kb * B], B, &d.in_data[static_cast<size_t>(r * B)]);
    result_.stats.sram_read_bytes["act"] += geo_.act_read_bytes(fd.m_len, kb);
    result_.stats.actions["dap_block"] += fd.m_len;
    pd.latch = true;
  }
  // The block's weight slots of this pass are read once and held for its a_nnz slices.
  const int64_t bits = wgt_read_bits_;
  fill_weights(in, fr, kb, pass);
  if (pd.j != 0) wgt_read_bits_ = bits;
  end_slice(in, fd, edge);
}

void SaEngine::tick_dap() {
  din_.clear();
  drive_os_dap(static_cast<int64_t>((t_ + 2) % 3), din_);
  Pending& cur = ring_[static_cast<size_t>(t_ % 3)];
  if (cur.latch) {
    const DapOutputs& o = dap_->outputs();
    std::copy(o.out_data.begin(), o.out_data.end(), blk_val_.begin());
    std::copy(o.out_idx.begin(), o.out_idx.end(), blk_idx_.begin());
  }
  if (cur.in.in_valid) {
    const int bz = dap_->shape().bz;
    for (int r = 0; r < shape_.act_rows(); ++r) {
      if (!cur.in.a_mask[static_cast<size_t>(r)]) continue;
      cur.in.a_in[static_cast<size_t>(r)] = blk_val_[static_cast<size_t>(r * bz + cur.j)];
      cur.in.a_idx[static_cast<size_t>(r)] = blk_idx_[static_cast<size_t>(r * bz + cur.j)];
    }
  }
  activity_.count(cur.in);
  array_.step(cur.in);
  dap_->step(din_);
}

}  // namespace npusim::systolic
