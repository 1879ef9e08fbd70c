#pragma once
// Pins and C++ cycle core of the dynamic activation pruning unit `dap_unit` (docs/dap_unit.md): per lane
// and cycle one block of BZ INT8 channels; the min(nnz, BZ) largest magnitudes are kept and compacted,
// in channel order, into value and channel-index slots, two edges later. The lockstep harness
// (cosim::Lockstep, sim/cosim/lockstep.h) compares it with the Verilated RTL on every edge.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace npusim::systolic {

struct DapShape {
  int lanes = 1, bz = 1;  // the RTL parameters LANES and BZ (1..16)
  // Width of one channel index: (BZ > 1) ? clog2(BZ) : 1.
  int iw() const {
    int w = 0;
    while ((1 << w) < bz) ++w;
    return std::max(w, 1);
  }
  int elems() const { return lanes * bz; }
};

struct DapInputs {
  bool rst = false, in_valid = false;
  uint32_t nnz = 0;             // only the low 5 bits are on the port
  std::vector<int8_t> in_data;  // [lanes][bz]

  explicit DapInputs(const DapShape& s = {}) : in_data(s.elems()) {}
  void clear() {  // idle cycle: nothing valid, buses driven to 0
    rst = in_valid = false;
    nnz = 0;
    std::fill(in_data.begin(), in_data.end(), 0);
  }
};

struct DapOutputs {
  uint8_t out_valid = 0;
  std::vector<int8_t> out_data;  // [lanes][slot]
  std::vector<uint8_t> out_idx;  // [lanes][slot], channel index of the slot's value
  explicit DapOutputs(const DapShape& s = {}) : out_data(s.elems()), out_idx(s.elems()) {}
};

// One clock edge of a dap_unit implementation (C++ model or Verilated RTL).
class DapUnitIf {
 public:
  virtual ~DapUnitIf() = default;
  virtual const DapShape& shape() const = 0;
  // Apply `in` at the next rising edge; afterwards outputs() shows the registered outputs.
  virtual void step(const DapInputs& in) = 0;
  virtual const DapOutputs& outputs() const = 0;
};

class DapUnitCore final : public DapUnitIf {
 public:
  explicit DapUnitCore(const DapShape& shape);
  const DapShape& shape() const override { return shape_; }
  void step(const DapInputs& in) override;
  const DapOutputs& outputs() const override { return out_; }

 private:
  DapShape shape_;
  DapOutputs out_;
  // Stage 1 registers: valid, the values and their keep mask.
  uint8_t s1_valid_ = 0;
  std::vector<int8_t> s1_data_;   // [lanes][bz]
  std::vector<uint8_t> s1_keep_;  // [lanes][bz]
};

}  // namespace npusim::systolic
