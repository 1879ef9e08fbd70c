#include "models/fixynn/fixed_segment.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "models/fixynn/fixed_net_builder.h"
#include "models/fixynn/fixynn_actions.h"
#include "models/fixynn/fixynn_activity.h"
#include "models/fixynn/fixynn_config.h"
#include "models/fixynn/fixynn_front_core.h"
#include "models/fixynn/fixynn_hardware.h"
#include "models/fixynn/fixynn_ppa.h"
#include "models/fixynn/fixynn_synth.h"
#include "sim/common/error.h"

namespace npusim::fixynn {
namespace {

// A fixed layer inside the segment: its weights are constants as the model has them.
class FixedLayerMapping final : public LayerMapping {
 public:
  LayerOutcome estimate(const LayerOperands&) const override {
    throw std::logic_error("fixynn: a fixed layer runs only inside its front-end segment");
  }
  LayerOutcome simulate(Hardware&, const LayerOperands&) const override { return estimate({}); }
};

}  // namespace

FixedSegment::FixedSegment(const ArchConfig& arch, std::vector<const Layer*> layers)
    : arch_(&arch),
      tech_(std::make_shared<cost::TechTable>(cost::TechTable::for_node(arch.tech, arch.source))),
      layers_(std::move(layers)) {
  for (size_t i = 0; i < layers_.size(); ++i) mappings_.push_back(std::make_unique<FixedLayerMapping>());
}

FixedNet fixed_front_end(const ArchConfig& arch, const std::vector<LayerOperands>& ops) {
  std::vector<const Layer*> layers;
  std::vector<const LayerOperands*> p;
  for (const auto& o : ops) layers.push_back(o.layer), p.push_back(&o);
  FixedNet net = build_fixed_net(layers, p, fix(arch).adder_pipeline);
  net.a_bits = fix(arch).a_bits;
  net.w_bits = fix(arch).w_bits;
  return net;
}

std::vector<LayerOutcome> FixedSegment::estimate(const std::vector<LayerOperands>& ops) const {
  // The front end's timing depends on the geometry only: the cycle core on the shape-only net is exact.
  std::vector<LayerOperands> shapes = ops;
  for (auto& o : shapes) o.values = false;
  const FixedNet net = fixed_front_end(*arch_, shapes);
  FixynnFrontCore core(FrontShape{net});
  const FixedStage& s0 = net.stages.front();
  const FrameResult frame =
      run_frame(core, TensorI8(std::vector<int64_t>{s0.H, s0.W, s0.in_channels()}), frame_cycle_limit(net));
  std::vector<LayerOutcome> out = outcomes(net, frame, nullptr);
  add_area(net, false, out);
  return out;
}

std::vector<LayerOutcome> FixedSegment::simulate(Hardware& hw, const std::vector<LayerOperands>& ops) const {
  const FixedNet net = fixed_front_end(*arch_, ops);
  TensorI8 input = ops.front().input;
  input.shape = {net.stages.front().H, net.stages.front().W, net.stages.front().in_channels()};
  const FrameResult frame = static_cast<FixynnHardware&>(hw).run_front(net, input);
  if (!frame.second_frame_equal)
    throw VerificationError("fixynn: the front end's second frame differs from its first on the same input");
  std::vector<LayerOutcome> out = outcomes(net, frame, &input);
  add_area(net, true, out);
  return out;
}

std::vector<LayerOutcome> FixedSegment::outcomes(const FixedNet& net, const FrameResult& frame,
                                                 const TensorI8* input) const {
  const bool values = input != nullptr;
  const FixynnConfig& cfg = fix(*arch_);
  std::vector<LayerOutcome> out(layers_.size());
  size_t li = 0;
  for (size_t s = 0; s < net.stages.size(); ++s) {
    const FixedStage& st = net.stages[s];
    const StageFrameStats& fs = frame.stages[s];
    const int64_t pixels = st.OH * st.OW;
    for (size_t j = 0; j < st.layers.size(); ++j, ++li) {
      if (li >= layers_.size() || layers_[li]->name != st.layers[j])
        throw std::logic_error("fixynn: stage " + st.name + " does not match the segment's layers");
      LayerStats& ls = out[li].stats;
      const FixedConv& conv = j == 0 ? st.first : st.second;
      ls.unit = "array";
      ls.clock_mhz = cfg.fixed_clock_mhz;
      ls.own_utilization = true;
      // Fully parallel: every non-zero constant works once per output pixel.
      ls.executed_macs = conv.nonzero_weights() * pixels;
      // One output pixel per cycle: busy `pixels` cycles of every frame period.
      const int64_t idle = std::max<int64_t>(0, frame.frame_period - pixels);
      ls.cycles = j == 0 ? pixels : 0;
      ls.stall_cycles = j == 0 ? fs.stalled : 0;
      ls.utilization = frame.frame_period > 0 ? static_cast<double>(pixels) / frame.frame_period : 0.0;
      ls.detail = fmt::format("stage {}", s);
      ls.family["stage"] = s;
      ls.family["stage_name"] = st.name;
      ls.family["nonzero_constants"] = conv.nonzero_weights();
      if (j == 0) {
        ls.family["pixels_per_frame"] = pixels;
        ls.family["busy_cycles"] = pixels;
        ls.family["idle_cycles"] = idle;
        ls.family["first_frame_span_idle_cycles"] = fs.idle;
        ls.family["stalled_cycles"] = fs.stalled;
        ls.family["line_buffer_bits"] = st.buffer_rows() * st.W * st.in_channels() * cfg.a_bits;
        ls.family["frame_cycles"] = frame.cycles;
        ls.family["frame_period_cycles"] = frame.frame_period;
        ls.notes.push_back(fmt::format(
            "fixed stage {} ({}): {} pixels per frame, busy {} / idle {} cycles of the {}-cycle frame period "
            "(first frame {} cycles), {} non-zero constants{}",
            s, st.name, pixels, pixels, idle, frame.frame_period, frame.cycles, st.nonzero_weights(),
            values ? "" : " (--fast: weights not known, none counted)"));
      } else {
        ls.notes.push_back(fmt::format(
            "fused into fixed stage {} with {}: no line buffer, no cycles of its own", s, st.layers.front()));
      }
      if (j == 0) {
        // Energy: the stage's events over one frame, counted on the real frames (or estimated).
        const StageActivity a = values ? count_stage_activity(st, s == 0 ? *input : frame.outputs[s - 1],
                                                              frame.outputs[s], cfg.a_bits)
                                       : estimate_stage_activity(st, {}, cfg.a_bits);
        add_stage_actions(a, s, s == 0, cfg.line_buffer, ls);
        for (const auto& m : fixynn_memories(net, cfg.line_buffer))
          if (m.name == line_buffer_memory(s)) ls.dedicated_memory_kib[m.name] = m.kib;
      }
      if (j + 1 == st.layers.size()) {
        ls.sram_write_bytes["handoff"] = s + 1 == net.stages.size() ? pixels * st.out_channels() : 0;
        if (values) out[li].out = frame.outputs[s];
      }
    }
  }
  if (li != layers_.size()) throw std::logic_error("fixynn: stages cover fewer layers than the segment");
  return out;
}

void FixedSegment::add_area(const FixedNet& net, bool weights_known, std::vector<LayerOutcome>& out) const {
  const FixynnConfig& cfg = fix(*arch_);
  // --fast knows no weights: the per-bit model then assumes every weight non-zero (dense).
  FixedNet dense = net;
  if (!weights_known)
    for (FixedStage& st : dense.stages)
      for (FixedConv* c : {&st.first, &st.second}) std::fill(c->weights.begin(), c->weights.end(), int8_t{1});
  const FixedPpa ppa = fixynn_ppa(dense, *tech_);
  std::vector<StageSynth> synth;
  if (cfg.synth_area && weights_known) {
    StageSynthOptions o;
    o.node = arch_->tech;
    o.timeout_s = 1800;
    synth = synth_fixynn_stages(net, o);
  }
  double synth_um2 = 0;
  size_t li = 0;
  for (size_t s = 0; s < net.stages.size(); ++s) {
    const StagePpa& p = ppa.stages[s];
    LayerStats& ls = out[li].stats;
    li += net.stages[s].layers.size();
    // The design's area: the per-bit model's constant multipliers and npusim's own line buffers (registers
    // at the per-bit constant, or the SRAM macro priced by the executor).
    ls.dedicated_area_um2["fixed logic"] = p.mac_area_mm2 * 1e6;
    if (cfg.line_buffer == "registers")
      ls.dedicated_area_um2["line buffers"] = p.npusim_buffer_area_mm2 * 1e6;
    nlohmann::json a = {{"nonzero_weights", p.nnz_weights},
                        {"per_bit_mac_mm2", p.mac_area_mm2},
                        {"per_bit_line_buffer_mm2", p.npusim_buffer_area_mm2},
                        {"authors_line_buffer_bits", p.sram_bits + p.reg_buffer_bits},
                        {"authors_line_buffer_mm2", p.buffer_area_mm2},
                        {"npusim_line_buffer_bits", p.npusim_buffer_bits}};
    std::string yosys = "yosys: not run (fixed.synth_area false)";
    if (!weights_known) yosys = "yosys: not run (--fast: weights unknown)";
    if (s < synth.size()) {
      const StageSynth& y = synth[s];
      a["yosys_area_mm2"] = y.area_um2 * 1e-6;
      a["yosys_cells"] = y.cells;
      a["yosys_flip_flops"] = y.flip_flops;
      a["adders_after_synthesis"] = y.adder_cells;
      synth_um2 += y.area_um2;
      yosys =
          fmt::format("yosys {:.4f} mm2 ({} cells, {} flip-flops, {} one-bit adders{})", y.area_um2 * 1e-6,
                      y.cells, y.flip_flops, y.adder_cells, y.cache_hit ? ", cached" : "");
    }
    ls.family["area"] = a;
    ls.notes.push_back(
        fmt::format("fixed stage {} area: per-bit model {:.4f} mm2 (constant multipliers {:.4f}, "
                    "line buffer {} bits {:.4f}; the authors' buffer formula {:.4f}); {}",
                    s, p.npusim_area_mm2(), p.mac_area_mm2, p.npusim_buffer_bits, p.npusim_buffer_area_mm2,
                    p.buffer_area_mm2, yosys));
  }
  LayerStats& first = out.front().stats;
  first.family["front_end_area"] = {
      {"per_bit_model_mm2", ppa.npusim_area_mm2},
      {"authors_model_mm2", ppa.area_mm2},
      {"yosys_mm2", synth.empty() ? nlohmann::json() : nlohmann::json(synth_um2 * 1e-6)}};
  const std::string assumed = weights_known ? "" : ", --fast: every weight assumed non-zero";
  const std::string yosys = synth.empty() ? std::string("; yosys not run")
                                          : fmt::format("; yosys synthesis {:.4f} mm2", synth_um2 * 1e-6);
  first.notes.push_back(
      fmt::format("fixed front end area, two ways: per-bit model (DeepFreeze constants, npusim's line "
                  "buffers) {:.4f} mm2 "
                  "(the authors' own formula {:.4f} mm2{}){}",
                  ppa.npusim_area_mm2, ppa.area_mm2, assumed, yosys));
}

}  // namespace npusim::fixynn
