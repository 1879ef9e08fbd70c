#include "models/systolic/sa_array_core.h"

#include <algorithm>
#include <stdexcept>

namespace npusim::systolic {

SaArrayCore::SaArrayCore(const SaShape& shape) : shape_(shape), out_(shape) {
  if (shape.rows < 1 || shape.cols < 1) throw std::invalid_argument("sa_array: rows and cols must be >= 1");
  if (shape.a < 1 || shape.b < 1 || shape.c < 1 || shape.p < 1 || shape.b > 16)
    throw std::invalid_argument("sa_array: tensor PE dimensions must be >= 1 and b <= 16");
  if (!shape.sparse && shape.p != shape.b)
    throw std::invalid_argument("sa_array: dense tensor PEs need p == b");
  if (shape.dataflow == 1 && !shape.scalar())
    throw std::invalid_argument("sa_array: the weight-stationary dataflow supports scalar PEs only");
  if (shape.asparse && (shape.b != 1 || !shape.sparse))
    throw std::invalid_argument("sa_array: activation-indexed (S2TA) PEs need b == 1 and weight indices");
  const size_t pes = static_cast<size_t>(shape.rows) * shape.cols;
  acc_.assign(static_cast<size_t>(shape.act_rows()) * shape.wgt_cols(), 0);
  ring_ = shape.rows + shape.cols + 2;
  emit_.assign(static_cast<size_t>(shape.cols) * ring_, Emit{});
  out_row_.assign(shape.cols, -1);
  // Scalar: masked weights [cols] and keep [cols]; tensor: transposed activations [b][rows*a], keep [rows*a].
  wm_.assign(
      std::max<size_t>(static_cast<size_t>(shape.cols), static_cast<size_t>(shape.b) * shape.act_rows()), 0);
  act16_.assign(static_cast<size_t>(shape.b) * shape.act_rows(), 0);
  dot_.assign(static_cast<size_t>(shape.act_rows()), 0);
  keep_.assign(std::max<size_t>(static_cast<size_t>(shape.cols), static_cast<size_t>(shape.act_rows())), 0);
  wsh_.assign(pes, 0);
  wact_.assign(pes, 0);
  wsh_en_.assign(pes, 0);
  slices_.resize(static_cast<size_t>(shape.rows + shape.cols + 2));
  for (auto& s : slices_) {
    s.a.assign(shape.rows, 0);
    s.av.assign(shape.rows, 0);
    s.psum.assign(shape.cols, 0);
  }
}

void SaArrayCore::reset() {
  std::fill(acc_.begin(), acc_.end(), 0u);
  std::fill(emit_.begin(), emit_.end(), Emit{});
  std::fill(out_row_.begin(), out_row_.end(), -1);
  std::fill(out_.out_valid.begin(), out_.out_valid.end(), 0);
  std::fill(out_.out_data.begin(), out_.out_data.end(), 0);
  std::fill(wsh_.begin(), wsh_.end(), 0);
  std::fill(wact_.begin(), wact_.end(), 0);
  std::fill(wsh_en_.begin(), wsh_en_.end(), 0);
  for (auto& s : slices_) {
    s.v = s.first = false;
    std::fill(s.av.begin(), s.av.end(), 0);
    std::fill(s.psum.begin(), s.psum.end(), 0u);
  }
}

void SaArrayCore::step(const SaInputs& in) {
  if (in.rst) {
    reset();
  } else if (shape_.dataflow == 0) {
    step_os(in);
  } else {
    step_ws(in);
  }
  ++edge_;
}

void SaArrayCore::step_os(const SaInputs& in) {
  if (in.in_valid) {
    // Every PE with both operands valid consumes this slice i+j+1 edges later; its accumulator
    // sequence is the same as updating it now.
    if (shape_.scalar())
      step_os_scalar(in);
    else
      step_os_tensor(in);
    if (in.in_last) emit_os(in);
  }
  update_os_outputs();
}

void SaArrayCore::step_os_scalar(const SaInputs& in) {
  // Branch-free inner loop: a masked column gets weight 0 and is not cleared by `first`.
  const int rows = shape_.rows, cols = shape_.cols;
  for (int c = 0; c < cols; ++c) {
    wm_[c] = in.w_mask[c] ? in.w_in[c] : 0;
    keep_[c] = (in.in_first && in.w_mask[c]) ? 0u : ~0u;
  }
  const int32_t* __restrict wm = wm_.data();
  const uint32_t* __restrict keep = keep_.data();
  for (int r = 0; r < rows; ++r) {
    if (!in.a_mask[r]) continue;
    const int32_t a = in.a_in[r];
    uint32_t* __restrict acc = &acc_[static_cast<size_t>(r) * cols];
    for (int c = 0; c < cols; ++c) acc[c] = (acc[c] & keep[c]) + static_cast<uint32_t>(a * wm[c]);
  }
}

void SaArrayCore::step_os_tensor(const SaInputs& in) {
  // Tensor PEs keep their accumulators transposed, [weight column][activation row], so that every
  // (weight, index) pair is one multiply-add over all activation rows (vectorised over rows).
  const int arows = shape_.act_rows(), wcols = shape_.wgt_cols(), B = shape_.b, P = shape_.p;
  // [b][activation row], 0 for masked rows; int16 so the 8x8-bit products vectorise as 16-bit multiplies.
  int16_t* __restrict actT = act16_.data();
  for (int ar = 0; ar < arows; ++ar) {
    const bool on = in.a_mask[ar] != 0;
    keep_[ar] = (in.in_first && on) ? 0u : ~0u;
    for (int b = 0; b < B; ++b) actT[b * arows + ar] = on ? in.a_in[static_cast<size_t>(ar) * B + b] : 0;
  }
  int32_t* __restrict dot = dot_.data();  // one dot product per activation row, added once
  const uint32_t* __restrict keep = keep_.data();
  for (int q = 0; q < wcols; ++q) {
    if (!in.w_mask[q]) continue;  // a masked column neither accumulates nor clears
    uint32_t* __restrict acc = &acc_[static_cast<size_t>(q) * arows];
    for (int ar = 0; ar < arows; ++ar) acc[ar] &= keep[ar];
    if (shape_.asparse) {
      // The column's weight selected by each 4-bit activation index: OR of the matching slots.
      int32_t lut[16] = {};
      for (int p = 0; p < P; ++p)
        lut[in.w_idx[static_cast<size_t>(q) * P + p] & 15] = static_cast<int8_t>(
            lut[in.w_idx[static_cast<size_t>(q) * P + p] & 15] | in.w_in[static_cast<size_t>(q) * P + p]);
      for (int ar = 0; ar < arows; ++ar) acc[ar] += static_cast<uint32_t>(actT[ar] * lut[in.a_idx[ar] & 15]);
      continue;
    }
    std::fill_n(dot, arows, 0);
    for (int p = 0; p < P; ++p) {
      // Multiplier p's B:1 mux selects activation idx (>= B selects 0); dense PEs use activation p.
      const int b = shape_.sparse ? in.w_idx[static_cast<size_t>(q) * P + p] : p;
      const int16_t w = in.w_in[static_cast<size_t>(q) * P + p];
      if (b >= B || w == 0) continue;
      const int16_t* __restrict a = &actT[b * arows];
      // |a * w| <= 2^14: the product is exact in 16 bits; the sum of P of them is exact in 32.
      for (int ar = 0; ar < arows; ++ar) dot[ar] += static_cast<int16_t>(a[ar] * w);
    }
    for (int ar = 0; ar < arows; ++ar) acc[ar] += static_cast<uint32_t>(dot[ar]);
  }
}

void SaArrayCore::emit_os(const SaInputs& in) {
  const int rows = shape_.rows, cols = shape_.cols, A = shape_.a, C = shape_.c;
  const uint64_t e = edge_;
  for (int j = 0; j < cols; ++j) {
    bool any_w = false;
    for (int c = 0; c < C; ++c) any_w |= in.w_mask[j * C + c] != 0;
    if (!any_w) continue;
    for (int i = 0; i < rows; ++i) {
      bool any_a = false;
      for (int a = 0; a < A; ++a) any_a |= in.a_mask[i * A + a] != 0;
      if (!any_a) continue;
      const uint64_t when = e + static_cast<uint64_t>(i + j + 1);
      Emit& slot = emit_[static_cast<size_t>(j) * ring_ + when % ring_];
      if (slot.edge == when && i >= slot.row) continue;  // lowest row wins a collision, as in the RTL
      slot.edge = when;
      slot.row = i;
      slot.values.resize(static_cast<size_t>(A * C));
      for (int a = 0; a < A; ++a)
        for (int c = 0; c < C; ++c)
          slot.values[static_cast<size_t>(a * C + c)] = static_cast<int32_t>(acc_at(i * A + a, j * C + c));
    }
  }
}

void SaArrayCore::update_os_outputs() {
  // Column output registers after this edge.
  const uint64_t e = edge_;
  const int AC = shape_.a * shape_.c;
  for (int j = 0; j < shape_.cols; ++j) {
    Emit& slot = emit_[static_cast<size_t>(j) * ring_ + e % ring_];
    if (slot.edge == e) {
      out_.out_valid[j] = 1;
      std::copy(slot.values.begin(), slot.values.end(), out_.out_data.begin() + static_cast<size_t>(j) * AC);
      out_row_[j] = slot.row;
      slot.edge = ~0ull;
    } else {
      out_.out_valid[j] = 0;
      out_row_[j] = -1;
    }
  }
}

void SaArrayCore::step_ws(const SaInputs& in) {
  const int rows = shape_.rows, cols = shape_.cols;
  const uint64_t e = edge_;
  const size_t nslots = slices_.size();
  // Shadow write: row w_row, column c lands at edge e+c; a fold whose first slice entered at nf sees
  // it in row r iff e <= nf + r, independent of c, so the write can be applied to the row now.
  if (in.w_wr && in.w_row < static_cast<uint32_t>(rows)) {
    const size_t base = static_cast<size_t>(in.w_row) * cols;
    for (int c = 0; c < cols; ++c) {
      wsh_[base + c] = in.w_in[c];
      wsh_en_[base + c] = in.w_mask[c] ? 1 : 0;
    }
  }
  Slice& ns = slices_[e % nslots];
  ns.v = in.in_valid;
  ns.first = in.in_first;
  for (int r = 0; r < rows; ++r) {
    ns.a[r] = in.a_in[r];
    ns.av[r] = (in.in_valid && in.a_mask[r]) ? 1 : 0;
  }
  std::fill(ns.psum.begin(), ns.psum.end(), 0u);
  // Row r works on the slice that entered r edges ago (its PE(r,0) consumes it at this edge + 1).
  for (int r = 0; r < rows && static_cast<uint64_t>(r) <= e; ++r) {
    Slice& s = slices_[(e - r) % nslots];
    const size_t base = static_cast<size_t>(r) * cols;
    if (s.v && s.first) {
      // Swap to the shadow weights; a disabled PE is kept as weight 0 (its product never counts).
      for (int c = 0; c < cols; ++c) wact_[base + c] = wsh_en_[base + c] ? wsh_[base + c] : 0;
    }
    if (!s.av[r]) continue;
    const int32_t a = s.a[r];
    const int32_t* __restrict w = &wact_[base];
    uint32_t* __restrict psum = s.psum.data();
    for (int c = 0; c < cols; ++c) psum[c] += static_cast<uint32_t>(a * w[c]);
  }
  // Column c shows the slice that entered rows + c edges before this one.
  for (int c = 0; c < cols; ++c) {
    const uint64_t back = static_cast<uint64_t>(rows + c);
    if (e >= back) {
      const Slice& s = slices_[(e - back) % nslots];
      out_.out_valid[c] = s.v ? 1 : 0;
      out_.out_data[c] = static_cast<int32_t>(s.psum[c]);
    } else {
      out_.out_valid[c] = 0;
      out_.out_data[c] = 0;
    }
  }
  out_slice_ = e >= static_cast<uint64_t>(rows) ? e - rows : 0;
}

std::string SaArrayCore::locate(int lane, bool data_lane) const {
  const int AC = shape_.a * shape_.c;
  const int j = data_lane ? lane / AC : lane;
  if (shape_.dataflow == 0) {
    const int i = out_row_.at(j);
    std::string pe =
        i >= 0 ? (shape_.scalar() ? "PE(" : "TPE(") + std::to_string(i) + "," + std::to_string(j) + ")"
               : "column " + std::to_string(j) + " output register";
    if (data_lane && !shape_.scalar())
      pe += " acc(" + std::to_string((lane % AC) / shape_.c) + "," + std::to_string(lane % shape_.c) + ")";
    return pe;
  }
  return "PE(" + std::to_string(shape_.rows - 1) + "," + std::to_string(j) + ") psum of slice " +
         std::to_string(out_slice_ >= static_cast<uint64_t>(j) ? out_slice_ - j : 0);
}

}  // namespace npusim::systolic
