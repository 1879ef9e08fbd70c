#pragma once
// How a layer runs on a systolic design (the family's LayerMapping): the weight scheme of the design
// (DBB pruning, reduction blocks, hardware IM2COL, S2TA's run-time activation pruning), the array job,
// its closed form (--fast) and its cycle simulation on the SaAccelerator. Recurrent layers run one
// gate GEMM per time step on the array plus the gate math on the vector unit (sa_recurrent.cpp).
#include <memory>

#include "models/systolic/sa_layer.h"
#include "sim/family/family.h"

namespace npusim::systolic {

class SaLayerMapping final : public LayerMapping {
 public:
  SaLayerMapping(const ArchConfig& arch, const Layer& layer, const MappingOptions& opts);
  void prepare_weights(TensorI8& weights) const override { prune_weights(layer_, scheme_, weights); }
  TensorI8 hardware_input(const TensorI8& in) const override;
  bool transforms_input() const override { return scheme_.dap; }
  int64_t working_bytes() const override;
  LayerOutcome estimate(const LayerOperands& ops) const override;
  LayerOutcome simulate(Hardware& hw, const LayerOperands& ops) const override;

 private:
  // The GEMM layer of one recurrent time step (batch rows, I + H inputs, 4H outputs).
  Layer step_layer() const;
  LayerOutcome estimate_recurrent(const LayerOperands& ops) const;
  LayerOutcome simulate_recurrent(Hardware& hw, const LayerOperands& ops) const;
  // Family figures, table detail and notes of a layer's stats.
  void describe(LayerStats& st) const;

  const ArchConfig& arch_;
  Layer layer_;
  WeightScheme scheme_;
};

}  // namespace npusim::systolic
