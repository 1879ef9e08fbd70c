#pragma once
// The analog half of a cim layer (DESIGN.md §8): what the crossbar tiles of the active layer return for
// the DAC levels one reader drove. One C++ kernel serves both implementations of the digital engine: the
// C++ cycle core calls it directly, the Verilated RTL through DPI-C (cim_dpi_abi.h), so for the same
// levels both see the same analog values. A read is identified by (pixel, channel, split), never by call
// order: read noise comes from a stream keyed by those, so the model and the RTL (or a rerun) get
// identical codes even though each calls the kernel itself.
#include <cstdint>
#include <vector>

namespace npusim::cim {

class AnalogKernel {
 public:
  virtual ~AnalogKernel() = default;
  // Raw ADC code of row split `split` of output channel `ch` for the pixel's DAC levels (one per logical
  // input row of the layer, levels.size() = the layer's n_in): the column current integrated over the PWM
  // slots, divided by the ADC LSB and rounded, *before* the clip to +-adc_max, which is digital (the
  // engine's readout logic). Saturated to the int32 range.
  virtual int32_t adc_code(const std::vector<int32_t>& levels, int64_t pixel, int ch, int split) const = 0;
};

// One reader of the kernel (each side of a lockstep has its own): the levels it has driven so far.
struct AnalogSession {
  const AnalogKernel* kernel = nullptr;
  std::vector<int32_t> levels;
  void dac_level(int row, int32_t level) {
    if (row >= 0 && static_cast<size_t>(row) < levels.size()) levels[static_cast<size_t>(row)] = level;
  }
  int32_t adc_code(int64_t pixel, int ch, int split) const {
    return kernel->adc_code(levels, pixel, ch, split);
  }
};

}  // namespace npusim::cim
