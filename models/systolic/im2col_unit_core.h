#pragma once
// Pins and C++ cycle core of the hardware IM2COL unit `im2col_unit` (docs/im2col_unit.md): two banks of
// DEPTH register slots (one pixel block of B INT8 channels each), LW blocks loaded per cycle, LANES
// slots read per cycle with one cycle of latency. The lockstep harness (cosim::Lockstep, sim/cosim/lockstep.h) compares it
// with the Verilated RTL on every edge.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace npusim::systolic {

struct Im2colShape {
  int lanes = 1, b = 1, depth = 1, lw = 1;  // the RTL parameters LANES, B, DEPTH, LW
  // Width of one slot address: (DEPTH > 1) ? clog2(DEPTH) : 1.
  int aw() const {
    int w = 0;
    while ((1ll << w) < depth) ++w;
    return std::max(w, 1);
  }
  int ld_lanes() const { return lw * b; }
  int out_lanes() const { return lanes * b; }
};

struct Im2colInputs {
  bool rst = false, ld_valid = false, ld_bank = false, rd_valid = false, rd_bank = false;
  uint32_t ld_addr = 0;            // only the low AW bits are on the port
  std::vector<int8_t> ld_data;     // [lw][b]
  std::vector<uint8_t> ld_mask;    // [lw]
  std::vector<uint32_t> rd_addr;   // [lanes], only the low AW bits of each are on the port
  std::vector<uint8_t> rd_mask;    // [lanes]

  explicit Im2colInputs(const Im2colShape& s = {})
      : ld_data(s.ld_lanes()), ld_mask(s.lw), rd_addr(s.lanes), rd_mask(s.lanes) {}
  void clear() {  // idle cycle: nothing valid, buses driven to 0
    rst = ld_valid = ld_bank = rd_valid = rd_bank = false;
    ld_addr = 0;
    std::fill(ld_data.begin(), ld_data.end(), 0);
    std::fill(ld_mask.begin(), ld_mask.end(), 0);
    std::fill(rd_addr.begin(), rd_addr.end(), 0);
    std::fill(rd_mask.begin(), rd_mask.end(), 0);
  }
};

struct Im2colOutputs {
  uint8_t out_valid = 0;
  std::vector<int8_t> out_data;  // [lanes][b]
  explicit Im2colOutputs(const Im2colShape& s = {}) : out_data(s.out_lanes()) {}
};

// One clock edge of an im2col_unit implementation (C++ model or Verilated RTL).
class Im2colUnitIf {
 public:
  virtual ~Im2colUnitIf() = default;
  virtual const Im2colShape& shape() const = 0;
  // Apply `in` at the next rising edge; afterwards outputs() shows the registered outputs.
  virtual void step(const Im2colInputs& in) = 0;
  virtual const Im2colOutputs& outputs() const = 0;
};

class Im2colUnitCore final : public Im2colUnitIf {
 public:
  explicit Im2colUnitCore(const Im2colShape& shape);
  const Im2colShape& shape() const override { return shape_; }
  void step(const Im2colInputs& in) override;
  const Im2colOutputs& outputs() const override { return out_; }
  // Slot contents (for tests and debugging): bank 0/1, slot < depth, B values.
  const int8_t* slot(int bank, int s) const { return &banks_[(static_cast<size_t>(bank) * shape_.depth + s) * shape_.b]; }

 private:
  Im2colShape shape_;
  Im2colOutputs out_;
  uint32_t addr_mask_;
  std::vector<int8_t> banks_;  // [2][depth][b]
};

}  // namespace npusim::systolic
