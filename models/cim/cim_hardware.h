#pragma once
// The elaborated cim accelerator of a run: the layer engine (SystemC shell around the C++ core, the
// Verilated RTL or both in lockstep), sized once for the run's network (its widest layer), and the
// closed form of its cycles.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cim/cim_config.h"
#include "models/cim/cim_layer_driver.h"
#include "models/cim/layer_analog.h"
#include "models/cim/layer_work.h"
#include "sim/family/family.h"

namespace npusim::cim {

// The engine's widest layer over a network: DAC rows, channels, row splits.
struct EngineSize {
  int64_t n_in = 1, k = 1, splits = 1;
};
EngineSize engine_size(const CimConfig& cfg, const Network& net);

// Cycles of one layer on the engine with the output port always ready (the engine's closed form).
int64_t layer_cycles(const CimConfig& cfg, const LayerWork& work);

class CimEngineModule;

class CimHardware final : public Hardware {
 public:
  CimHardware(const ArchConfig& arch, const BackendOptions& opts);
  ~CimHardware() override;
  LayerResult run(const LayerAnalog& analog, const LayerWork& work);
  std::string lockstep_blocks() const override;
  uint64_t lockstep_cycles() const override;

 private:
  const CimConfig& cfg_;
  EngineSize size_;
  std::unique_ptr<CimEngineModule> engine_;
};

}  // namespace npusim::cim
