#pragma once
// One conv, dwconv or fc layer on the cim family (DESIGN.md §8): its weights programmed onto its own PCM
// tiles (LayerAnalog), its pixels streamed through the layer engine (PWM slots, ADC, periphery). --fast:
// the engine's closed-form cycles, and values (when asked for) from the functional path of the same
// arithmetic. A cycle run checks the engine's outputs against that functional path on the same analog
// reads (exact, noise or not), and reports the error against the design's noise-free output.
#include <memory>

#include "models/cim/cim_config.h"
#include "sim/family/family.h"

namespace npusim::cim {

class CimLayerMapping final : public LayerMapping {
 public:
  CimLayerMapping(const ArchConfig& arch, const Layer& layer);
  int64_t working_bytes() const override;
  LayerOutcome estimate(const LayerOperands& ops) const override;
  LayerOutcome simulate(Hardware& hw, const LayerOperands& ops) const override;

 private:
  const ArchConfig& arch_;
  const CimConfig& cfg_;
  const Layer& layer_;
};

}  // namespace npusim::cim
