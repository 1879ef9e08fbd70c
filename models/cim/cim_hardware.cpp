#include "models/cim/cim_hardware.h"

#include <algorithm>

#include "models/cim/cim_mapping.h"

namespace npusim::cim {
class CimEngineModule {};  // TEMP until the engine merges
namespace {
int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

EngineSize engine_size(const CimConfig& cfg, const Network& net) {
  EngineSize s;
  for (const Layer& l : net.layers) {
    if (!l.on_array()) continue;
    const TilePlan p = map_layer(cfg, l, 0);
    s.n_in = std::max(s.n_in, p.weight_rows);
    s.k = std::max(s.k, l.K);
    s.splits = std::max(s.splits, p.row_splits);
  }
  return s;
}

int64_t layer_cycles(const CimConfig& cfg, const LayerWork& w) {
  return 1 + w.k + w.pixels * (ceil_div(w.n_in, cfg.lanes_in) + w.slots + cfg.adc_cycles + ceil_div(w.k, cfg.lanes_out)) + 1;
}

CimHardware::CimHardware(const ArchConfig& arch, const BackendOptions& opts) : cfg_(cim(arch)) {
  (void)opts;
}
CimHardware::~CimHardware() = default;

EngineRun CimHardware::run(const LayerAnalog& analog, const LayerWork& work) {
  (void)analog;
  (void)work;
  return {};
}
std::string CimHardware::lockstep_blocks() const {
  return "";
}
uint64_t CimHardware::lockstep_cycles() const {
  return 0;
}

}  // namespace npusim::cim
