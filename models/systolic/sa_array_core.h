#pragma once
// C++ cycle core of `sa_array` (docs/sa_array.md). It reproduces the RTL's port values on every edge
// without simulating each pipeline register: a PE's accumulator sees the same operand sequence as the
// slice stream, only delayed by r+c edges, so the core updates a whole tile when a slice enters and
// schedules each result for the edge on which the RTL's PE would emit it. The lockstep harness proves
// the equivalence against the Verilated RTL.
#include <cstdint>
#include <string>
#include <vector>

#include "models/systolic/sa_pins.h"

namespace npusim::systolic {

class SaArrayCore final : public SaArrayIf {
 public:
  explicit SaArrayCore(const SaShape& shape);
  const SaShape& shape() const override { return shape_; }
  void step(const SaInputs& in) override;
  const SaOutputs& outputs() const override { return out_; }
  std::string locate(int lane, bool data_lane) const override;
  uint64_t edges() const { return edge_; }

 private:
  void reset();
  void step_os(const SaInputs& in);
  void step_ws(const SaInputs& in);

  SaShape shape_;
  SaOutputs out_;
  uint64_t edge_ = 0;  // number of edges applied so far
  // --- OS ---
  std::vector<uint32_t> acc_;  // scalar: [rows][cols]; tensor: [cols*c][rows*a]; wraps like the RTL's
  uint32_t acc_at(int act_row, int wgt_col) const {
    return shape_.scalar() ? acc_[static_cast<size_t>(act_row) * shape_.cols + wgt_col]
                           : acc_[static_cast<size_t>(wgt_col) * shape_.act_rows() + act_row];
  }
  struct Emit {
    uint64_t edge = ~0ull;
    int row = 0;                  // TPE row
    std::vector<int32_t> values;  // [a][c]
  };
  void step_os_scalar(const SaInputs& in);
  void step_os_tensor(const SaInputs& in);
  void emit_os(const SaInputs& in);
  void update_os_outputs();
  int ring_ = 0;                // slots per column (> rows + cols)
  std::vector<Emit> emit_;      // [cols][ring_]
  std::vector<int> out_row_;    // row that drove each column's output last edge (-1: none)
  std::vector<int32_t> wm_;     // scalar: masked weights [cols]
  std::vector<int16_t> act16_;  // tensor: transposed activations [b][activation row]
  std::vector<int32_t> dot_;    // tensor: one column's dot products [activation row]
  std::vector<uint32_t> keep_;  // 0 where `first` clears: scalar per column, tensor per activation row
  // --- WS ---
  std::vector<int8_t> wsh_;      // [rows][cols] shadow weights
  std::vector<uint8_t> wsh_en_;  // [rows][cols] shadow enables
  std::vector<int32_t> wact_;    // [rows][cols] active weights, 0 where the PE is disabled
  struct Slice {
    bool v = false, first = false;
    std::vector<int8_t> a;
    std::vector<uint8_t> av;
    std::vector<uint32_t> psum;  // [cols]
  };
  std::vector<Slice> slices_;  // ring indexed by input edge
  uint64_t out_slice_ = 0;     // for locate(): slice shown on column 0
};

}  // namespace npusim::systolic
