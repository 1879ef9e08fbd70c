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
};

struct SaInputs {
  bool rst = false, in_valid = false, in_first = false, in_last = false, w_wr = false;
  uint32_t w_row = 0;
  std::vector<int8_t> a_in;     // [rows]
  std::vector<uint8_t> a_mask;  // [rows]
  std::vector<int8_t> w_in;     // [cols]
  std::vector<uint8_t> w_mask;  // [cols]

  explicit SaInputs(const SaShape& s = {}) : a_in(s.rows), a_mask(s.rows), w_in(s.cols), w_mask(s.cols) {}
  void clear_operands() {  // idle cycle: nothing valid, operand buses driven to 0
    in_valid = in_first = in_last = w_wr = false;
    w_row = 0;
    std::fill(a_in.begin(), a_in.end(), 0);
    std::fill(a_mask.begin(), a_mask.end(), 0);
    std::fill(w_in.begin(), w_in.end(), 0);
    std::fill(w_mask.begin(), w_mask.end(), 0);
  }
};

struct SaOutputs {
  std::vector<uint8_t> out_valid;  // [cols]
  std::vector<int32_t> out_data;   // [cols]
  explicit SaOutputs(const SaShape& s = {}) : out_valid(s.cols), out_data(s.cols) {}
};

// One clock edge of an sa_array implementation (C++ model or Verilated RTL).
class SaArrayIf {
 public:
  virtual ~SaArrayIf() = default;
  virtual const SaShape& shape() const = 0;
  // Apply `in` at the next rising edge; afterwards outputs() shows the registered outputs.
  virtual void step(const SaInputs& in) = 0;
  virtual const SaOutputs& outputs() const = 0;
  // Which PE drove lane `col` of the outputs after the last edge, e.g. "PE(3,5)" (for divergence reports).
  virtual std::string locate(int col) const { return "column " + std::to_string(col); }
};

}  // namespace npusim::systolic
