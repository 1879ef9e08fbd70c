#pragma once
// The fixed-weight front end of a FixyNN design as one segment of the network (Family::map_segment): its
// K layers become the stages of one FixedNet (depthwise + 1x1 fused), run frame by frame on the run's
// backend, each stage's output checked against golden. Stage figures go on the stage's first layer.
#include <memory>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "models/fixynn/frame_driver.h"
#include "sim/config/arch_config.h"
#include "sim/cost/tech_table.h"
#include "sim/family/family.h"

namespace npusim::fixynn {

// The FixedNet of a fixynn design's front end from its layers' prepared operands (ops[i].layer set):
// stages with the config's adder pipeline and bit widths.
FixedNet fixed_front_end(const ArchConfig& arch, const std::vector<LayerOperands>& ops);

class FixedSegment final : public SegmentMapping {
 public:
  FixedSegment(const ArchConfig& arch, std::vector<const Layer*> layers);
  size_t size() const override { return layers_.size(); }
  const LayerMapping& layer(size_t i) const override { return *mappings_.at(i); }
  std::vector<LayerOutcome> estimate(const std::vector<LayerOperands>& ops) const override;
  std::vector<LayerOutcome> simulate(Hardware& hw, const std::vector<LayerOperands>& ops) const override;

 private:
  // Per-layer outcomes of a frame run: stage figures, actions, dedicated area, outputs (with values).
  std::vector<LayerOutcome> outcomes(const FixedNet& net, const FrameResult& frame,
                                     const TensorI8* input) const;
  // Per-bit model area and, with fixed.synth_area, yosys per stage, on the stages' first layers.
  void add_area(const FixedNet& net, bool weights_known, std::vector<LayerOutcome>& out) const;

  const ArchConfig* arch_;
  std::shared_ptr<const cost::TechTable> tech_;
  std::vector<const Layer*> layers_;
  std::vector<std::unique_ptr<LayerMapping>> mappings_;
};

}  // namespace npusim::fixynn
