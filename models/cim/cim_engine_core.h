#pragma once
// Pins and C++ cycle core of `cim_engine` (rtl/cim/cim_engine.v, DESIGN.md §8): the digital engine of one
// layer-serial AON-CiM layer. Per pixel: the im2col input vector is loaded into the DAC level registers,
// the PWM DACs pulse for cfg_slots slots, the ADCs convert for cfg_adc_cycles cycles, then the clipped
// codes of each channel's row splits are summed and the periphery (periphery.h) gives the int8 outputs,
// LANES_OUT channels per output beat. The analog dot product is the AnalogKernel of the shape; this core
// calls it through its own AnalogSession, the RTL through DPI-C (cim_engine_block.h).
//
// Cycle contract (the RTL is identical on every output every cycle). Outputs are Moore: a function of the
// registers after the edge, never of the inputs of the same cycle.
//   rst                 every register to 0 (phase idle), parameter memory included.
//   par_valid           any phase: channel par_ch (< K_MAX, else ignored) takes par_m..par_qshift.
//   idle   (phase 0)    cfg_ready = 1; cfg_valid latches the layer config, clears clip_count, pixel = 0,
//                       -> load. done is 1 for the one cycle after the layer's last output beat.
//   load   (phase 1)    in_ready = 1; a beat (in_valid) sets level[row] = clamp(dac_level(x), +-cfg_slots)
//   for
//                       row = beat*LANES_IN + l < min(cfg_n_in, N_IN) (DPI cim_dac_level per row);
//                       after ceil(cfg_n_in/LANES_IN) beats (at least 1) -> pwm, slot 0.
//   pwm    (phase 2)    max(cfg_slots, 1) cycles: pwm_slot = slot, pulse_rows = #rows r < min(n_in, N_IN)
//                       with |level[r]| > slot; then -> convert.
//   convert (phase 3)   max(cfg_adc_cycles, 1) cycles; the edge leaving it reads, for ch < min(k, K_MAX)
//                       and split < min(splits, S_MAX), raw = adc_code(pixel, ch, split), clips it to
//                       +-cfg_adc_max (clip_count += raw != clipped), code_sum[ch] = sum of the clipped
//                       codes (int32, wrapping); -> readout, beat 0.
//   readout (phase 4)   out_valid = 1; beat j: out_ch0 = j*LANES_OUT, out_pixel = pixel, lane l of a channel
//                       ch = out_ch0 + l < min(k, K_MAX): out_sum = code_sum[ch], out_data =
//                       periphery_output(code_sum[ch], params[ch], out params), else 0. A beat ends on an
//                       edge with out_ready; after ceil(cfg_k/LANES_OUT) beats (at least 1): the next pixel
//                       (load) or, after max(cfg_pixels, 1) pixels, idle with done = 1.
// The driver (cim_layer_driver.h) sends cfg, then the k parameter beats, then the input beats; with
// out_ready = 1 the layer takes engine_cycles() edges from the cfg edge to the one that raises done.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/cim/analog_kernel.h"
#include "models/cim/periphery.h"

namespace npusim::cim {

struct CimEngineShape {
  int n_in = 1, k_max = 1, s_max = 1;          // max DAC rows per pixel, output channels, row splits
  int lanes_in = 1, lanes_out = 1;             // activations per input beat, channels per output beat
  std::shared_ptr<const AnalogKernel> kernel;  // the analog half (not an RTL parameter)
};

struct CimEngineInputs {
  bool rst = false;
  bool cfg_valid = false;
  uint16_t cfg_n_in = 0, cfg_k = 0;
  uint8_t cfg_splits = 0;
  uint16_t cfg_slots = 0;     // PWM slots 2^(b-1), also the largest |level|
  uint8_t cfg_dac_shift = 0;  // 3 bits: activation bits the DAC drops (level = round(x / 2^shift))
  uint32_t cfg_adc_max = 0;   // largest |code|
  uint8_t cfg_adc_cycles = 0;
  int8_t cfg_out_zp = 0, cfg_act_min = 0, cfg_act_max = 0;
  uint32_t cfg_pixels = 0;  // 24 bits on the port
  bool par_valid = false;
  uint16_t par_ch = 0;
  int32_t par_m = 0, par_bias = 0, par_qmult = 0;
  int8_t par_qshift = 0;
  bool in_valid = false;
  std::vector<int8_t> in_data;  // [LANES_IN]
  bool out_ready = false;

  explicit CimEngineInputs(const CimEngineShape& s = {}) : in_data(static_cast<size_t>(s.lanes_in)) {}
  void clear();  // every pin 0 (keeps the lane count)
};

enum class CimPhase : uint8_t { Idle = 0, Load = 1, Pwm = 2, Convert = 3, Readout = 4 };

struct CimEngineOutputs {
  uint8_t phase = 0;
  bool cfg_ready = false, in_ready = false;
  uint32_t pixel = 0;
  uint16_t pwm_slot = 0, pulse_rows = 0;
  uint32_t clip_count = 0;
  bool out_valid = false;
  uint16_t out_ch0 = 0;
  uint32_t out_pixel = 0;
  std::vector<int32_t> out_sum;  // [LANES_OUT]
  std::vector<int8_t> out_data;  // [LANES_OUT]
  bool done = false;
  explicit CimEngineOutputs(const CimEngineShape& s = {})
      : out_sum(static_cast<size_t>(s.lanes_out)), out_data(static_cast<size_t>(s.lanes_out)) {}
};

// One clock edge of a cim_engine implementation (C++ core, Verilated RTL, or both in lockstep).
class CimEngineIf {
 public:
  virtual ~CimEngineIf() = default;
  virtual const CimEngineShape& shape() const = 0;
  virtual void step(const CimEngineInputs& in) = 0;
  virtual const CimEngineOutputs& outputs() const = 0;
};

// ceil(a / b), at least 1 (the engine's beat and pixel counters always run once).
inline int64_t cim_beats(int64_t a, int64_t b) {
  return a <= b ? 1 : (a + b - 1) / b;
}

// Edges from the cfg edge to the edge raising done (both counted) under the driver's schedule (cfg, k
// parameter beats, then input beats as soon as in_ready) with out_ready always 1:
//   1 + k + pixels * (ceil(n_in/LANES_IN) + slots + adc_cycles + ceil(k/LANES_OUT))
// with slots, adc_cycles and pixels at least 1. The family's --fast mode uses it.
int64_t engine_cycles(const CimEngineShape& shape, int n_in, int k, int slots, int adc_cycles,
                      int64_t pixels);

class CimEngineCore final : public CimEngineIf {
 public:
  explicit CimEngineCore(const CimEngineShape& shape);
  const CimEngineShape& shape() const override { return shape_; }
  void step(const CimEngineInputs& in) override;
  const CimEngineOutputs& outputs() const override { return out_; }

 private:
  void reset();
  void load_beat(const CimEngineInputs& in);
  void convert();
  void set_outputs();
  CimPhase phase() const { return static_cast<CimPhase>(phase_); }

  CimEngineShape shape_;
  CimEngineOutputs out_;
  AnalogSession session_;
  // Layer config registers.
  uint32_t n_in_ = 0, k_ = 0, splits_ = 0, slots_ = 0, adc_cycles_ = 0, pixels_ = 0, dac_shift_ = 0;
  int32_t adc_max_ = 0;
  OutputParams outp_;
  // Controller.
  uint8_t phase_ = 0;
  uint32_t pixel_ = 0, beat_ = 0, slot_ = 0, conv_ = 0, clip_count_ = 0;
  bool done_ = false;
  std::vector<ChannelParams> params_;  // [K_MAX]
  std::vector<int32_t> levels_;        // [N_IN]
  std::vector<int32_t> code_sum_;      // [K_MAX]
};

}  // namespace npusim::cim
