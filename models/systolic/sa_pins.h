#pragma once
// Values on the ports of `sa_array` for one clock edge (docs/sa_array.md). The C++ model core and the
// Verilated RTL both consume SaInputs and produce SaOutputs, so the lockstep harness can compare them.
#include <cstdint>
#include <algorithm>
#include <string>
#include <vector>

namespace npusim::systolic {

struct SaShape {
  int rows = 1, cols = 1;
  int dataflow = 0;  // 0 = OS, 1 = WS (the RTL parameter DATAFLOW)
  // Tensor PE (OS only): A x B activations times B x C weights, P multipliers per dot product,
  // sparse = B:1 activation mux per multiplier driven by the weight index. Scalar SA: all 1, dense.
  int a = 1, b = 1, c = 1, p = 1;
  bool sparse = false;
  // S2TA time-unrolled TPE (OS, B = 1, sparse): each activation row carries one value and its 4-bit
  // in-block channel index; each (a, c) multiplier takes the weight among the column's P compacted
  // weight slots whose index matches (OR of the matching slots; 0 if none). One multiplier per (a, c).
  bool asparse = false;
  int act_lanes() const { return rows * a * b; }
  int act_rows() const { return rows * a; }
  int wgt_lanes() const { return cols * c * p; }
  int wgt_cols() const { return cols * c; }
  int out_lanes() const { return cols * a * c; }
  bool scalar() const { return a == 1 && b == 1 && c == 1 && p == 1 && !sparse && !asparse; }
  // Multipliers per (a, c) dot product.
  int mults() const { return asparse ? 1 : p; }
};

struct SaInputs {
  bool rst = false, in_valid = false, in_first = false, in_last = false, w_wr = false;
  uint32_t w_row = 0;
  std::vector<int8_t> a_in;     // [rows][a][b]
  std::vector<uint8_t> a_mask;  // [rows][a]
  std::vector<uint8_t> a_idx;   // [rows][a], 4-bit activation indices (asparse only)
  std::vector<int8_t> w_in;     // [cols][c][p]
  std::vector<uint8_t> w_idx;   // [cols][c][p], 4-bit indices (sparse only)
  std::vector<uint8_t> w_mask;  // [cols][c]

  explicit SaInputs(const SaShape& s = {})
      : a_in(s.act_lanes()), a_mask(s.act_rows()), a_idx(s.act_rows()), w_in(s.wgt_lanes()), w_idx(s.wgt_lanes()), w_mask(s.wgt_cols()) {}
  void clear_operands() {  // idle cycle: nothing valid, operand buses driven to 0
    in_valid = in_first = in_last = w_wr = false;
    w_row = 0;
    std::fill(a_in.begin(), a_in.end(), 0);
    std::fill(a_mask.begin(), a_mask.end(), 0);
    std::fill(a_idx.begin(), a_idx.end(), 0);
    std::fill(w_in.begin(), w_in.end(), 0);
    std::fill(w_idx.begin(), w_idx.end(), 0);
    std::fill(w_mask.begin(), w_mask.end(), 0);
  }
};

struct SaOutputs {
  std::vector<uint8_t> out_valid;  // [cols]
  std::vector<int32_t> out_data;   // [cols][a][c]
  explicit SaOutputs(const SaShape& s = {}) : out_valid(s.cols), out_data(s.out_lanes()) {}
};

// One clock edge of an sa_array implementation (C++ model or Verilated RTL).
class SaArrayIf {
 public:
  virtual ~SaArrayIf() = default;
  virtual const SaShape& shape() const = 0;
  // Apply `in` at the next rising edge; afterwards outputs() shows the registered outputs.
  virtual void step(const SaInputs& in) = 0;
  virtual const SaOutputs& outputs() const = 0;
  // Which PE drove output lane `lane` after the last edge, e.g. "PE(3,5)" (for divergence reports);
  // out_valid lanes are TPE columns, out_data lanes are (column, a, c).
  virtual std::string locate(int lane, bool data_lane) const {
    return (data_lane ? "out_data lane " : "column ") + std::to_string(lane);
  }
};

}  // namespace npusim::systolic
