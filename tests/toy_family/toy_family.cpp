// A toy accelerator family defined entirely inside the test suite: one MAC per cycle, weights and
// activations streamed from DRAM once, no RTL. It proves that a family plugs into npusim through
// sim/family/family.h alone: it is linked into its own copy of the CLI (npusim_toy) with no edit of sim/.
#include <algorithm>
#include <iostream>

#include "sim/common/error.h"
#include "sim/common/output_file.h"
#include "sim/common/rng.h"
#include "sim/config/arch_loader.h"
#include "sim/driver/golden.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"
#include "sim/quant/requant.h"

namespace npusim::toy {

struct ToyConfig : FamilyConfig {
  int64_t buffer_kib = 0;
  int noise_lsb = 0;        // > 0: outputs off by up to this many LSB (an inexact, stochastic family)
  bool fuse_pairs = false;  // run two consecutive layers as one pipelined segment
};

class ToyMapping final : public LayerMapping {
 public:
  ToyMapping(const Layer& l, int noise_lsb) : l_(l), noise_lsb_(noise_lsb) {}
  LayerOutcome estimate(const LayerOperands&) const override {
    LayerOutcome o;
    o.stats.cycles = l_.macs();  // one MAC per cycle
    o.stats.actions["toy_mac"] = l_.macs();
    o.stats.dram_read_bytes =
        Tensor<int8_t>::count(layer_input_shape(l_)) + Tensor<int8_t>::count(layer_weight_shape(l_));
    o.stats.dram_write_bytes = l_.gemm_m() * l_.K;
    o.stats.sram_read_bytes["buf"] = o.stats.dram_read_bytes;
    o.stats.family["note"] = "toy";
    return o;
  }
  // Its own direct convolution (NHWC, OHWI weights, groups, stride, padding, dilation), one MAC at a time.
  LayerOutcome simulate(Hardware&, const LayerOperands& ops) const override {
    LayerOutcome o = estimate(ops);
    const int64_t H = l_.op == OpType::Fc ? 1 : l_.H, W = l_.op == OpType::Fc ? 1 : l_.W;
    const int64_t oh = l_.op == OpType::Fc ? 1 : l_.out_h, ow = l_.op == OpType::Fc ? 1 : l_.out_w;
    const int64_t cpg = l_.channels_per_group(), kpg = l_.filters_per_group();
    o.acc = TensorI32({l_.batch * oh * ow, l_.K});
    for (int64_t b = 0; b < l_.batch; ++b)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t k = 0; k < l_.K; ++k) {
            int32_t sum = ops.bias[static_cast<size_t>(k)];
            for (int64_t r = 0; r < l_.R; ++r)
              for (int64_t s = 0; s < l_.S; ++s) {
                const int64_t iy = y * l_.stride_h - l_.pad_top + r * l_.dilation;
                const int64_t ix = x * l_.stride_w - l_.pad_left + s * l_.dilation;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;  // padding contributes zero
                for (int64_t c = 0; c < cpg; ++c) {
                  const int64_t ci = (k / kpg) * cpg + c;
                  sum += (ops.input[((b * H + iy) * W + ix) * l_.C + ci] - ops.input_zero_point) *
                         ops.weights[((k * l_.R + r) * l_.S + s) * cpg + c];
                }
              }
            o.acc[((b * oh + y) * ow + x) * l_.K + k] = sum;
          }
    o.out = requantize_all(o.acc, ops.requant);
    if (noise_lsb_ > 0) {
      Rng noise(0, "toy_noise:" + l_.name);
      for (auto& v : o.out.data)
        v = static_cast<int8_t>(std::clamp<int64_t>(v + noise.uniform(-noise_lsb_, noise_lsb_), -128, 127));
      o.exact = false;
    }
    return o;
  }

 private:
  Layer l_;
  int noise_lsb_;
};

// Two consecutive layers in one pipelined unit: the first one's output stays inside (not exposed), the
// pair takes as long as its slower layer.
class ToySegment final : public SegmentMapping {
 public:
  ToySegment(const Layer& a, const Layer& b) : m_{ToyMapping(a, 0), ToyMapping(b, 0)} {}
  size_t size() const override { return 2; }
  const LayerMapping& layer(size_t i) const override { return m_[i]; }
  std::vector<LayerOutcome> estimate(const std::vector<LayerOperands>& ops) const override {
    return pipelined({m_[0].estimate(ops[0]), m_[1].estimate(ops[1])});
  }
  std::vector<LayerOutcome> simulate(Hardware& hw, const std::vector<LayerOperands>& ops) const override {
    LayerOutcome first = m_[0].simulate(hw, ops[0]);
    LayerOperands second = ops[1];
    second.input = first.out;  // the hardware's own intermediate tensor
    std::vector<LayerOutcome> o = pipelined({std::move(first), m_[1].simulate(hw, second)});
    o[0].out = TensorI8();
    o[0].acc = TensorI32();
    return o;
  }

 private:
  static std::vector<LayerOutcome> pipelined(std::vector<LayerOutcome> o) {
    o[0].stats.cycles = std::max(o[0].stats.cycles, o[1].stats.cycles);
    o[1].stats.cycles = 0;
    return o;
  }
  ToyMapping m_[2];
};

class ToyFamily final : public Family {
 public:
  std::string name() const override { return "toy"; }
  std::string description() const override { return "test family: one MAC per cycle"; }
  std::vector<ParamSpec> params() const override {
    return {{"buffer_kib", ParamKind::Integer, "64", false, 1, 1 << 20, {}, "KiB", "the one SRAM"},
            {"noise_lsb", ParamKind::Integer, "0", false, 0, 16, {}, "LSB", "output noise (0: exact)"},
            {"fuse_pairs", ParamKind::Choice, "no", false, 0, 0, {"no", "yes"}, "", "pipeline layer pairs"}};
  }
  std::shared_ptr<const FamilyConfig> configure(ParamValues& v) const override {
    auto c = std::make_shared<ToyConfig>();
    c->buffer_kib = v.integer("buffer_kib");
    c->noise_lsb = static_cast<int>(v.integer("noise_lsb"));
    c->fuse_pairs = v.str("fuse_pairs") == "yes";
    return c;
  }
  std::string summary(const ArchConfig&) const override { return "1 MAC"; }
  // A family command, to show the CLI hook: `npusim_toy toy describe --arch A [--out FILE]`.
  std::vector<FamilyCommand> commands() const override {
    FamilyCommand c;
    c.name = "describe";
    c.description = "print the toy design's summary";
    c.options = {{"--arch", "arch config YAML"}, {"--out", "also write it to this file"}};
    c.required = {"--arch"};
    c.run = [this](const std::map<std::string, std::string>& v) {
      const ArchConfig arch = load_arch(v.at("--arch"), {});
      const std::string text = "toy design " + arch.name + ": " + summary(arch) + "\n";
      std::cout << text;
      if (v.count("--out")) write_atomically(v.at("--out"), text);
      return 0;
    };
    return {c};
  }
  int64_t peak_macs_per_cycle(const ArchConfig& a) const override {
    return a.family_as<ToyConfig>().fuse_pairs ? 2 : 1;
  }
  std::unique_ptr<LayerMapping> map_layer(const ArchConfig& a, const Layer& l,
                                          const MappingOptions&) const override {
    if (l.is_recurrent())
      throw InputError(l.source + ": layer '" + l.name + "': the toy family has no recurrent layers");
    return std::make_unique<ToyMapping>(l, a.family_as<ToyConfig>().noise_lsb);
  }
  std::unique_ptr<SegmentMapping> map_segment(const ArchConfig& a, const Network& net, size_t first,
                                              const MappingOptions&) const override {
    if (!a.family_as<ToyConfig>().fuse_pairs || first + 1 >= net.layers.size()) return nullptr;
    const Layer& x = net.layers[first];
    const Layer& y = net.layers[first + 1];
    if (!x.on_array() || !y.on_array() || y.inputs != std::vector<std::string>{x.name}) return nullptr;
    return std::make_unique<ToySegment>(x, y);
  }
  std::unique_ptr<Hardware> build(const ArchConfig&, const BackendOptions& o) const override {
    if (o.backend != Backend::Model) throw InputError("the toy family has no RTL");
    return std::make_unique<Hardware>();
  }
  cost::ActionTable actions() const override {
    return {{"toy_mac", {"MACs", {{"mult_int8", 1}, {"add32", 1}}}}};
  }
  std::pair<std::string, std::string> vector_unit_buffers(const ArchConfig&) const override {
    return {"buf", "buf"};
  }
  std::vector<cost::Memory> memories(const ArchConfig& a) const override {
    return {{"buf", static_cast<double>(a.family_as<ToyConfig>().buffer_kib)}};
  }
  std::vector<cost::InventoryItem> area_inventory(const ArchConfig&) const override {
    return {{"MACs", "mult_int8", 1}, {"MACs", "add32", 1}};
  }
};

}  // namespace npusim::toy

namespace npusim::toy {
NPUSIM_REGISTER_FAMILY(ToyFamily);
}  // namespace npusim::toy
