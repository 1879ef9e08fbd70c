#include "models/cim/cim_hardware.h"

#include <algorithm>

#include "models/cim/cim_engine_module.h"
#include "models/cim/cim_mapping.h"
#include "sim/common/error.h"

namespace npusim::cim {

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
  CimEngineShape shape;
  shape.lanes_in = cfg.lanes_in, shape.lanes_out = cfg.lanes_out;
  return engine_cycles(shape, static_cast<int>(w.n_in), w.k, w.slots, cfg.adc_cycles, w.pixels);
}

CimHardware::CimHardware(const ArchConfig& arch, const BackendOptions& opts)
    : cfg_(cim(arch)), engine_(std::make_unique<CimEngineModule>("cim_engine", arch.clock_mhz, opts)) {
  if (!opts.network) throw std::logic_error("cim: the hardware is sized for the run's network");
  size_ = engine_size(cfg_, *opts.network);
}

CimHardware::~CimHardware() = default;

LayerResult CimHardware::run(const LayerAnalog& analog, const LayerWork& work) {
  // One engine for the run, sized for its widest layer (the RTL is built once per size); the shape's
  // kernel is the layer's, which outlives the call.
  CimEngineShape shape;
  shape.n_in = static_cast<int>(size_.n_in), shape.k_max = static_cast<int>(size_.k);
  shape.s_max = static_cast<int>(size_.splits);
  shape.lanes_in = cfg_.lanes_in, shape.lanes_out = cfg_.lanes_out;
  shape.kernel = std::shared_ptr<const AnalogKernel>(&analog, [](const AnalogKernel*) {});
  LayerJob job;
  job.cfg.n_in = static_cast<int>(work.n_in), job.cfg.k = work.k, job.cfg.splits = work.splits;
  job.cfg.slots = work.slots, job.cfg.dac_shift = work.dac_shift, job.cfg.adc_max = work.adc_max;
  job.cfg.adc_cycles = cfg_.adc_cycles, job.cfg.pixels = work.pixels, job.cfg.out = work.out;
  job.params = work.channels;
  job.inputs = work.rows;
  return engine_->run(shape, job);
}

std::string CimHardware::lockstep_blocks() const {
  return engine_->lockstep_blocks();
}

uint64_t CimHardware::lockstep_cycles() const {
  return engine_->lockstep_cycles();
}

}  // namespace npusim::cim
