#include "models/systolic/sa_engine.h"

#include <limits>
#include <string>

#include "models/systolic/sa_cost.h"
#include "sim/common/error.h"
#include "sim/quant/requant.h"

namespace npusim::systolic {

SaEngine::SaEngine(const ArchConfig& arch, SaArrayIf& array, Im2colUnitIf* unit, DapUnitIf* dap)
    : arch_(arch),
      array_(array),
      shape_(array.shape()),
      dma_(arch.dram_bytes_per_cycle),
      in_(shape_),
      unit_(unit),
      next_(shape_),
      dap_(dap),
      activity_(shape_, sys(arch).activations.mode != "dense") {
  if (!dap_ && shape_.asparse) {
    own_dap_ = std::make_unique<DapUnitCore>(dap_unit_shape(arch));
    dap_ = own_dap_.get();
  }
  ring_.assign(3, Pending{SaInputs(shape_), false, 0});
  if (!unit_ && sys(arch).im2col == "hardware" && shape_.dataflow == 0) {
    own_unit_ = std::make_unique<Im2colUnitCore>(im2col_unit_shape(arch));
    unit_ = own_unit_.get();
  }
}

void SaEngine::begin(const ArrayJob& job) {
  job_ = &job;
  folds_.clear();
  tiles_.clear();
  geo_ = sa_geometry(arch_, shape_, job);
  int64_t channels = 0;
  for (size_t g = 0; g < job.groups.size(); ++g) {
    const auto& gm = job.groups[g];
    const mapping::FoldPlan plan = mapping::plan_folds(gm.M, gm.K / geo_.block, gm.N, geo_.plan);
    const int64_t base = static_cast<int64_t>(tiles_.size());
    for (const auto& t : plan.out_tiles) {
      TileState ts;
      ts.group = static_cast<int64_t>(g);
      ts.t = t;
      ts.acc.assign(static_cast<size_t>(t.m_len * t.n_len), 0);
      ts.remaining = t.m_len * t.n_len;
      tiles_.push_back(std::move(ts));
    }
    for (const auto& f : plan.folds) {
      folds_.push_back({static_cast<int64_t>(g), f, base + f.out_tile});
      if (job.weights_resident) folds_.back().f.fetch_w_bytes = 0;  // already in the weight buffer
    }
    channels += gm.N;
  }
  const int64_t M = job.groups.at(0).M;
  result_ = ArrayJobResult{};
  result_.acc = TensorI32({M, channels});
  result_.out = TensorI8({M, channels});
  const size_t nf = folds_.size();
  w_ready_.assign(nf, 0);
  a_ready_.assign(nf, 0);
  tw_.assign(nf, kUnset);
  stream_start_.assign(nf, kUnset);
  out_used_ = 0;
  out_capacity_ = sys(arch_).out_kib * 1024;
  col_queue_.assign(static_cast<size_t>(shape_.cols), {});
  t_ = 0;
  next_fold_ = 0;
  stream_fold_ = -1;
  slice_ = 0;
  stream_free_at_ = 0;
  prev_last_ = 0;
  prev_tpe_rows_ = 0;
  wgt_read_bits_ = 0;
  pack_dbb();
  any_started_ = false;
  wfold_ = 0;
  wwriting_ = -1;
  wrow_ = 0;
  writer_free_at_ = 0;
  tiles_left_ = static_cast<int64_t>(tiles_.size());
  last_output_edge_ = 0;
  last_write_cycles_ = 0;
  done_ = false;
  // The array is reset with one edge before the job (not counted in the job's cycles).
  in_.clear_operands();
  in_.rst = true;
  array_.step(in_);
  in_.rst = false;
  activity_.reset();
  dap_mode_ = shape_.asparse;
  if (dap_mode_) {
    const DapShape& ds = dap_->shape();
    if (ds.lanes != shape_.act_rows() || ds.bz != job.block)
      throw std::logic_error("sa job: DAP unit shape differs from the array's rows and the job's block");
    din_ = DapInputs(ds);
    din_.rst = true;
    dap_->step(din_);
    for (auto& p : ring_) {
      p.in.clear_operands();
      p.latch = false;
    }
    blk_val_.assign(static_cast<size_t>(ds.elems()), 0);
    blk_idx_.assign(static_cast<size_t>(ds.elems()), 0);
  }
  hw_ = job.hw_im2col;
  if (hw_) {
    if (!unit_ || shape_.dataflow != 0)
      throw std::logic_error("sa job: hardware IM2COL without an IM2COL unit");
    const Im2colShape& us = unit_->shape();
    if (us.lanes != geo_.unit.lanes || us.b != geo_.unit.b || us.depth != geo_.unit.depth ||
        us.lw != geo_.unit.lw)
      throw std::logic_error("sa job: IM2COL unit shape differs from the arch config's");
    // Reset, then the pad slot (0) of both banks gets the input zero point (configuration, like the reset
    // not counted in the job's cycles).
    uin_ = Im2colInputs(us);
    uin_.rst = true;
    unit_->step(uin_);
    for (int bank = 0; bank < 2; ++bank) {
      uin_.clear();
      uin_.ld_valid = true;
      uin_.ld_bank = bank == 1;
      uin_.ld_mask[0] = 1;
      std::fill_n(uin_.ld_data.begin(), us.b, job.pad_value);
      unit_->step(uin_);
    }
    groups_.clear();
    fold_group_.clear();
    load_g_ = load_done_ = read_g_ = reads_done_ = 0;
    next_.clear_operands();
    in_.clear_operands();
  }
  enqueue_fetch(0);
}

void SaEngine::enqueue_fetch(int64_t f) {
  if (f >= static_cast<int64_t>(folds_.size())) return;
  const auto& fd = folds_[static_cast<size_t>(f)].f;
  auto fetch = [&](int kind, int64_t bytes, int64_t& sram_written, std::vector<uint8_t>& ready) {
    if (bytes <= 0) {
      ready[static_cast<size_t>(f)] = 1;  // resident already
      return;
    }
    dma_.enqueue(kind, f, bytes);
    sram_written += bytes;
    result_.stats.dram_read_bytes += bytes;
  };
  fetch(kFetchW, fd.fetch_w_bytes, result_.stats.sram_write_bytes["wgt"], w_ready_);
  fetch(kFetchA, fd.fetch_a_bytes, result_.stats.sram_write_bytes["act"], a_ready_);
}

bool SaEngine::can_reserve(int64_t f) const {
  const FoldRef& fr = folds_[static_cast<size_t>(f)];
  if (!fr.f.first_k) return true;
  return out_used_ + tiles_[static_cast<size_t>(fr.tile)].t.reserve_bytes <= out_capacity_;
}

void SaEngine::start_fold(int64_t f, uint64_t edge) {
  FoldRef& fr = folds_[static_cast<size_t>(f)];
  if (!any_started_) result_.stats.prologue_cycles = static_cast<int64_t>(edge);
  any_started_ = true;
  stream_fold_ = f;
  stream_start_[static_cast<size_t>(f)] = edge;
  slice_ = 0;
  ++next_fold_;
  if (fr.f.first_k) out_used_ += tiles_[static_cast<size_t>(fr.tile)].t.reserve_bytes;
  // Results appear per (TPE) column in fold order: OS only on the tile's columns, one tile per TPE
  // row; WS on every column, one result per streamed row.
  if (shape_.dataflow == 0) {
    for (int64_t j = 0; j < geo_.tpe_cols(fr.f.n_len); ++j)
      col_queue_[static_cast<size_t>(j)].emplace_back(f, geo_.tpe_rows(fr.f.m_len));
  } else {
    for (int64_t c = 0; c < shape_.cols; ++c) col_queue_[static_cast<size_t>(c)].emplace_back(f, fr.f.m_len);
  }
  // Multiplier slots issued (zero padding and pruned positions included) vs dense-equivalent MACs.
  const int64_t executed = shape_.dataflow == 0 ? geo_.slices(fr.f) * fr.f.m_len * fr.f.n_len * shape_.mults()
                                                : fr.f.m_len * fr.f.n_len * fr.f.k_len;
  result_.stats.actions["mac"] += executed;
  result_.stats.actions["mac_effective"] += fr.f.m_len * fr.f.n_len * fr.f.k_len * geo_.block;
  ++result_.stats.actions["fold"];
  if (shape_.dataflow == 0) enqueue_fetch(f + 1);  // WS prefetches when the weight write starts
}

bool SaEngine::try_start_fold(uint64_t edge, bool feeder_ready, bool feeder_waits_on_dram) {
  const int64_t f = next_fold_;
  if (stream_fold_ >= 0 || f >= static_cast<int64_t>(folds_.size())) return false;
  const auto& fd = folds_[static_cast<size_t>(f)].f;
  // Output-register rule: this fold's last slice must come at least (TPE rows used by the previous
  // fold) steps after the previous fold's, so two rows of one column never emit on the same edge.
  const bool structural_ok =
      edge >= stream_free_at_ && (!any_started_ || edge + static_cast<uint64_t>(geo_.slices(fd)) - 1 >=
                                                       prev_last_ + static_cast<uint64_t>(prev_tpe_rows_));
  if (!structural_ok) return false;
  const bool operands_ok =
      w_ready_[static_cast<size_t>(f)] && a_ready_[static_cast<size_t>(f)] && can_reserve(f);
  if (operands_ok && feeder_ready) {
    start_fold(f, edge);
    return true;
  }
  if (any_started_ && (!operands_ok || feeder_waits_on_dram)) ++result_.stats.stall_cycles;
  return false;
}

void SaEngine::drive_os(SaInputs& in) {
  try_start_fold(t_, true, false);
  if (stream_fold_ < 0) return;
  const FoldRef& fr = folds_[static_cast<size_t>(stream_fold_)];
  const auto& fd = fr.f;
  const auto& gm = job_->groups[static_cast<size_t>(fr.group)];
  const int B = geo_.block;
  const int64_t kb = fd.k0 + slice_ / geo_.passes;  // K block of this slice
  const int64_t pass = slice_ % geo_.passes;
  const int64_t slices = geo_.slices(fd);
  in.in_valid = true;
  in.in_first = slice_ == 0;
  in.in_last = slice_ == slices - 1;
  for (int64_t r = 0; r < fd.m_len; ++r) {
    const int8_t* src = &gm.A[(fd.m0 + r) * gm.K + kb * B];
    std::copy(src, src + B, &in.a_in[static_cast<size_t>(r * B)]);
    in.a_mask[static_cast<size_t>(r)] = 1;
  }
  fill_weights(in, fr, kb, pass);
  // Activations of a block are held at the array edge across its passes (read once per block).
  if (pass == 0) result_.stats.sram_read_bytes["act"] += geo_.act_read_bytes(fd.m_len, kb);
  end_slice(in, fd, t_);
}

void SaEngine::fill_weights(SaInputs& in, const FoldRef& fr, int64_t kb, int64_t pass) {
  const auto& fd = fr.f;
  const auto& gm = job_->groups[static_cast<size_t>(fr.group)];
  const int B = geo_.block, P = shape_.p;
  for (int64_t c = 0; c < fd.n_len; ++c) {
    const int64_t n = fd.n0 + c;
    if (shape_.sparse) {
      const size_t base = static_cast<size_t>((kb * gm.N + n) * geo_.passes * P + pass * P);
      std::copy_n(&dbb_val_[static_cast<size_t>(fr.group)][base], P, &in.w_in[static_cast<size_t>(c * P)]);
      std::copy_n(&dbb_idx_[static_cast<size_t>(fr.group)][base], P, &in.w_idx[static_cast<size_t>(c * P)]);
    } else {
      for (int p = 0; p < P; ++p) in.w_in[static_cast<size_t>(c * P + p)] = gm.B[(kb * B + p) * gm.N + n];
    }
    in.w_mask[static_cast<size_t>(c)] = 1;
  }
  wgt_read_bits_ += fd.n_len * geo_.wgt_bits_per_col_slice();
}

// Bookkeeping after a slice that reaches the array at `edge`.
void SaEngine::end_slice(SaInputs& in, const mapping::Fold& fd, uint64_t edge) {
  if (in.in_last) {
    prev_last_ = edge;
    prev_tpe_rows_ = geo_.tpe_rows(fd.m_len);
    stream_fold_ = -1;
    stream_free_at_ = edge + 1;
  } else {
    ++slice_;
  }
}

void SaEngine::pack_dbb() {
  dbb_val_.clear();
  dbb_idx_.clear();
  if (!shape_.sparse) return;
  const int B = geo_.block, slots = geo_.passes * shape_.p;
  for (const auto& gm : job_->groups) {
    const int64_t blocks = gm.K / B;
    std::vector<int8_t> val(static_cast<size_t>(blocks * gm.N * slots), 0);
    std::vector<uint8_t> idx(val.size(), 0);
    for (int64_t kb = 0; kb < blocks; ++kb)
      for (int64_t n = 0; n < gm.N; ++n) {
        const size_t base = static_cast<size_t>((kb * gm.N + n) * slots);
        if (geo_.identity_slots) {  // dense storage: weight b in slot b
          for (int b = 0; b < B; ++b) {
            val[base + static_cast<size_t>(b)] = gm.B[(kb * B + b) * gm.N + n];
            idx[base + static_cast<size_t>(b)] = static_cast<uint8_t>(b);
          }
          continue;
        }
        int used = 0;
        for (int b = 0; b < B; ++b) {
          const int8_t w = gm.B[(kb * B + b) * gm.N + n];
          if (w == 0) continue;
          if (used == job_->nnz)
            throw std::logic_error("sa job: more than nnz = " + std::to_string(job_->nnz) +
                                   " non-zero weights in a block (weights not DBB-pruned)");
          val[base + static_cast<size_t>(used)] = w;
          idx[base + static_cast<size_t>(used)] = static_cast<uint8_t>(b);
          ++used;
        }
      }
    dbb_val_.push_back(std::move(val));
    dbb_idx_.push_back(std::move(idx));
  }
}

void SaEngine::collect_outputs(const SaOutputs& out) {
  const int A = shape_.a, C = shape_.c;
  for (int j = 0; j < shape_.cols; ++j) {
    if (!out.out_valid[static_cast<size_t>(j)]) continue;
    auto& q = col_queue_[static_cast<size_t>(j)];
    if (q.empty())
      throw VerificationError("sa_array: unexpected result on column " + std::to_string(j) + " at cycle " +
                              std::to_string(t_) + " (" + array_.locate(j, false) + ")");
    auto& [f, remaining] = q.front();
    const auto& fd = folds_[static_cast<size_t>(f)].f;
    if (shape_.dataflow == 1) {
      if (j < fd.n_len) accept(f, fd.m_len - remaining, j, out.out_data[static_cast<size_t>(j)]);
    } else {
      // One TPE's A x C tile: rows i*A + a, columns j*C + c of the fold's output tile.
      const int64_t i = geo_.tpe_rows(fd.m_len) - remaining;
      for (int a = 0; a < A; ++a)
        for (int c = 0; c < C; ++c) {
          const int64_t row = i * A + a, col = int64_t{j} * C + c;
          if (row < fd.m_len && col < fd.n_len)
            accept(f, row, col, out.out_data[static_cast<size_t>((j * A + a) * C + c)]);
        }
    }
    if (--remaining == 0) q.pop_front();
  }
}

void SaEngine::accept(int64_t f, int64_t row, int64_t col, int32_t value) {
  const FoldRef& fr = folds_[static_cast<size_t>(f)];
  TileState& ts = tiles_[static_cast<size_t>(fr.tile)];
  auto& st = result_.stats;
  int32_t& acc = ts.acc[static_cast<size_t>(row * ts.t.n_len + col)];
  acc =
      fr.f.first_k ? value : static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(value));
  if (!(fr.f.first_k && fr.f.last_k)) st.sram_write_bytes["out"] += 4;  // int32 partial sum
  if (!fr.f.first_k) st.sram_read_bytes["out"] += 4;
  if (!fr.f.last_k) return;
  // Post-processing: bias (with the zero-point correction), per-channel requantization, int8 store.
  const int64_t N = job_->groups[static_cast<size_t>(fr.group)].N;
  const int64_t channel = fr.group * N + ts.t.n0 + col;
  const int64_t channels = result_.acc.dim(1);
  const int64_t m = ts.t.m0 + row;
  const int32_t total = static_cast<int32_t>(static_cast<uint32_t>(acc) +
                                             static_cast<uint32_t>(job_->bias[static_cast<size_t>(channel)]));
  result_.acc[m * channels + channel] = total;
  result_.out[m * channels + channel] = quant::requantize(total, job_->requant, channel);
  st.sram_write_bytes["out"] += 1;
  ++st.actions["requant"];
  if (--ts.remaining == 0) {
    dma_.enqueue(kWriteTile, fr.tile, ts.t.bytes);
    st.sram_read_bytes["out"] += ts.t.bytes;
    st.dram_write_bytes += ts.t.bytes;
    last_output_edge_ = t_;
    last_write_cycles_ = dma_.cycles_for(ts.t.bytes);
  }
}

void SaEngine::tick() {
  if (dap_mode_) {
    tick_dap();
  } else if (hw_) {
    // in_ holds the slice decided last cycle; its activations are on the unit's outputs now.
    uin_.clear();
    next_.clear_operands();
    load_step(uin_);
    drive_os_im2col(next_, uin_);
    if (in_.in_valid)
      std::copy(unit_->outputs().out_data.begin(), unit_->outputs().out_data.end(), in_.a_in.begin());
    activity_.count(in_);
    array_.step(in_);
    unit_->step(uin_);
    std::swap(in_, next_);
  } else {
    in_.clear_operands();
    if (shape_.dataflow == 0)
      drive_os(in_);
    else
      drive_ws(in_);
    activity_.count(in_);
    array_.step(in_);
  }
  collect_outputs(array_.outputs());
  for (const auto& x : dma_.tick()) {
    if (x.kind == kFetchW) w_ready_[static_cast<size_t>(x.id)] = 1;
    if (x.kind == kFetchA) a_ready_[static_cast<size_t>(x.id)] = 1;
    if (x.kind == kWriteTile) {
      out_used_ -= tiles_[static_cast<size_t>(x.id)].t.reserve_bytes;
      if (--tiles_left_ == 0) done_ = true;
    }
  }
  ++t_;
  if (done_) {
    auto& st = result_.stats;
    st.sram_read_bytes["wgt"] += (wgt_read_bits_ + 7) / 8;
    st.cycles = static_cast<int64_t>(t_);
    // Write-back that had to queue behind other DMA traffic after the last result counts as stall.
    st.stall_cycles += st.cycles - static_cast<int64_t>(last_output_edge_) - last_write_cycles_;
    activity_.flush(st.actions);
    finalize_actions(arch_, geo_, true, st);
  }
}

ArrayJobResult SaEngine::take_result() {
  return std::move(result_);
}

}  // namespace npusim::systolic
