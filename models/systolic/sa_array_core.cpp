#include "models/systolic/sa_array_core.h"

#include <algorithm>
#include <stdexcept>

namespace npusim::systolic {

SaArrayCore::SaArrayCore(const SaShape& shape) : shape_(shape), out_(shape) {
  if (shape.rows < 1 || shape.cols < 1) throw std::invalid_argument("sa_array: rows and cols must be >= 1");
  const size_t pes = static_cast<size_t>(shape.rows) * shape.cols;
  acc_.assign(pes, 0);
  ring_ = shape.rows + shape.cols + 2;
  emit_.assign(static_cast<size_t>(shape.cols) * ring_, Emit{});
  out_row_.assign(shape.cols, -1);
  wm_.assign(shape.cols, 0);
  keep_.assign(shape.cols, 0);
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
  const int rows = shape_.rows, cols = shape_.cols;
  const uint64_t e = edge_;  // this edge samples the slice
  if (in.in_valid) {
    // Every PE(r,c) with both operands valid consumes this slice r+c+1 edges later; its accumulator
    // sequence is the same as updating it now. Branch-free inner loop: a masked column gets weight 0
    // and is not cleared by `first`.
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
    if (in.in_last) {
      for (int c = 0; c < cols; ++c) {
        if (!in.w_mask[c]) continue;
        for (int r = 0; r < rows; ++r) {
          if (!in.a_mask[r]) continue;
          const uint64_t when = e + static_cast<uint64_t>(r + c + 1);
          Emit& slot = emit_[static_cast<size_t>(c) * ring_ + when % ring_];
          if (slot.edge != when || r < slot.row)  // lowest row wins a collision, as in the RTL
            slot = Emit{when, r, static_cast<int32_t>(acc_[static_cast<size_t>(r) * cols + c])};
        }
      }
    }
  }
  // Column output registers after edge e.
  for (int c = 0; c < cols; ++c) {
    Emit& slot = emit_[static_cast<size_t>(c) * ring_ + e % ring_];
    if (slot.edge == e) {
      out_.out_valid[c] = 1;
      out_.out_data[c] = slot.value;
      out_row_[c] = slot.row;
      slot.edge = ~0ull;
    } else {
      out_.out_valid[c] = 0;
      out_row_[c] = -1;
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

std::string SaArrayCore::locate(int col) const {
  if (shape_.dataflow == 0) {
    const int r = out_row_.at(col);
    return r >= 0 ? "PE(" + std::to_string(r) + "," + std::to_string(col) + ")"
                  : "column " + std::to_string(col) + " output register";
  }
  return "PE(" + std::to_string(shape_.rows - 1) + "," + std::to_string(col) + ") psum of slice " +
         std::to_string(out_slice_ >= static_cast<uint64_t>(col) ? out_slice_ - col : 0);
}

}  // namespace npusim::systolic
