#pragma once
// Builds the FixedNet of a FixyNN front end from consecutive workload layers and their operands
// (docs/fixynn.md): one stage per conv / dwconv layer, a depthwise conv (depth multiplier 1) followed by
// a 1x1 stride-1 unpadded conv fused into one stage. Anything else (pools, fc, add, recurrent, grouped
// convs, batch > 1, a layer not reading its predecessor's output) throws InputError naming the layer.
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "sim/family/family.h"
#include "sim/workload/layer.h"

namespace npusim::fixynn {

// ops[i] belongs to layers[i]. Operands without values (--fast) give a shape-only net: zero weights and
// bias, multiplier 0, so its cycle behaviour is exact but its outputs are not. Per-tensor requantization
// is expanded to one multiplier / shift per channel; only TFLite's double rounding is implemented.
FixedNet build_fixed_net(const std::vector<const Layer*>& layers,
                         const std::vector<const LayerOperands*>& ops, int adder_pipeline);

}  // namespace npusim::fixynn
