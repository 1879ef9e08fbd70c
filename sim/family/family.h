#pragma once
// What the framework needs from an accelerator family (DESIGN.md §2). A family lives in models/<family>/
// and registers one Family object (registry.h); sim/ calls it only through this interface:
//  - its config section: declared keys (ParamSpec) and the cross-key validation that builds its typed
//    FamilyConfig;
//  - how a layer maps onto its hardware (map_layer -> LayerMapping): the offline weight preparation and
//    the run-time input transformation that belong to the golden semantics (so the golden network
//    applies them too), the --fast closed form and the cycle simulation on the elaborated Hardware;
//    or several consecutive layers as one unit (map_segment -> SegmentMapping);
//  - its cost model inputs: action names with their prices (cost::ActionTable), memories, area
//    inventory, the RTL to synthesize for `npusim area --synth`;
//  - the peak MACs per cycle (the denominator of utilization).
// Verification policy: the executor compares what a mapping returns (accumulators and output tensor)
// with the golden network on the same input: bit-exactly when the outcome is `exact` (digital
// families; a stochastic family in its noise-free mode), else as error statistics (mean and largest
// |error| in LSB, share of outputs that differ) in the layer's `family.error_vs_golden`.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/common/tensor.h"
#include "sim/config/arch_config.h"
#include "sim/config/params.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/synth_area.h"
#include "sim/family/backend.h"
#include "sim/family/recurrent_cell.h"
#include "sim/quant/recurrent.h"
#include "sim/quant/requant.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

// Options of a run that a family's mapping may use (the model's sparsity, from the CLI).
struct MappingOptions {
  int w_nnz = 0;  // > 0: every conv/fc layer's weights have this many non-zeros per block
  int a_nnz = 0;  // > 0: run-time activation pruning keeps this many per block (families that do it)
};

// The operands of one layer, as the executor hands them to a family.
struct LayerOperands {
  const Layer* layer = nullptr;
  bool values = true;  // false (--fast): only shapes; the tensors below are empty
  // The layer's input as its producer wrote it: conv-like [H][W][C] ([batch][H][W][C] when batch > 1),
  // fc [batch][C], recurrent [T][batch][input_size].
  TensorI8 input;
  // After LayerMapping::prepare_weights: OHWI [K][R][S][C/groups], fc [K][C], recurrent the stacked gate
  // matrix [4H][I+H] (GRU: quant::gru_gemm_weights).
  TensorI8 weights;
  std::vector<int32_t> bias;     // [K] (recurrent [G])
  int32_t input_zero_point = 0;  // conv/fc
  quant::Requant requant;        // conv/fc: per output channel
  // Recurrent layers: zero points in scales (input_zero_point = z_x, hidden_zero_point = z_h), the
  // element-wise cell (prototype in the initial state: call fresh()), and with cell->split_gates() the
  // recurrent weights W_h [G][H] (weights then hold W_x [G][I]).
  quant::RecurrentScales scales;
  std::shared_ptr<const RecurrentCell> cell;
  TensorI8 recurrent_weights;
};

// What a family's hardware computed for one layer.
struct LayerOutcome {
  LayerStats stats;
  // conv/fc: [M][K] int32 accumulators (bias included) as the hardware produced them; recurrent: the
  // gate accumulators of every step [T][batch][4H]. Empty in --fast.
  TensorI32 acc;
  TensorI8 out;  // output tensor as written back (shape of output_shape(layer)); empty in --fast
  // A check the family runs on its own hardware's results beyond the executor's comparison with
  // golden (e.g. an internal write-back path); non-empty: what failed, and the layer is not verified.
  std::string self_check_failure;
  // false: the hardware is not meant to match golden bit for bit (e.g. analog noise on): the executor
  // reports error statistics instead of a pass/fail.
  bool exact = true;
};

// The elaborated accelerator of a run (SystemC allows one elaboration per process): layers are jobs
// issued to it through the family's LayerMapping.
class Hardware {
 public:
  virtual ~Hardware() = default;
  // "sa_array and im2col_unit" etc.: the blocks compared in lockstep so far ("" if none), and the edges.
  virtual std::string lockstep_blocks() const { return ""; }
  virtual uint64_t lockstep_cycles() const { return 0; }
};

class LayerMapping {
 public:
  virtual ~LayerMapping() = default;
  // Offline weight transformation the hardware needs (e.g. pruning to its sparsity format).
  virtual void prepare_weights(TensorI8& /*weights*/) const {}
  // Run-time transformation the hardware applies to the input before multiplying (identity for exact
  // hardware): `in` has the layout of LayerOperands::input; recurrent layers pass one step's [x, h]
  // rows [batch][I+H].
  virtual TensorI8 hardware_input(const TensorI8& in) const { return in; }
  virtual bool transforms_input() const { return false; }
  // Bytes the mapping materialises besides the layer's tensors (e.g. lowered operand matrices), for
  // the executor's memory check before a layer runs.
  virtual int64_t working_bytes() const { return 0; }
  // --fast: closed-form cycles, traffic and actions from shapes (operands.values may be false).
  virtual LayerOutcome estimate(const LayerOperands& ops) const = 0;
  // Cycle simulation on the run's hardware.
  virtual LayerOutcome simulate(Hardware& hw, const LayerOperands& ops) const = 0;
};

// A run of consecutive layers a family executes as one unit (e.g. a pipeline of fixed-weight layers that
// are all in flight at once). Layer i + 1 of a segment reads exactly layer i. The executor prepares every
// layer's operands (each from its predecessor's golden output: what flows inside the segment is the
// hardware's business), then calls the segment once; it compares every layer whose output the segment
// exposes, and the segment's last output always.
class SegmentMapping {
 public:
  virtual ~SegmentMapping() = default;
  virtual size_t size() const = 0;  // layers, from the one map_segment was asked for
  virtual const LayerMapping& layer(size_t i) const = 0;
  // One outcome per layer: stats split as the family sees fit; `out` (and `acc`) empty for a layer
  // whose output stays inside the hardware.
  virtual std::vector<LayerOutcome> estimate(const std::vector<LayerOperands>& ops) const = 0;
  virtual std::vector<LayerOutcome> simulate(Hardware& hw, const std::vector<LayerOperands>& ops) const = 0;
};

// A design whose layers run in parts pipelined against each other frame by frame (e.g. a fixed-function
// front end handing each frame to a programmable back end through a double buffer): each part works on
// its own frame, so the steady-state frame period is the slowest part's frame time and the latency the
// sum. Layers [first, first + count) belong to the part; `frame_cycles` at `clock_mhz` is its frame time;
// the part's area is the sum of the run's area categories named in `area_categories` ("*": every category
// no other part names).
struct PipelinePart {
  std::string name;
  size_t first = 0, count = 0;
  double clock_mhz = 0;
  int64_t frame_cycles = 0;
  std::vector<std::string> area_categories;
};

// A command a family adds to the CLI as `npusim <family> <name> [--option value ...]` (e.g. FixyNN's RTL
// generator). Options take one string each; the family validates them (InputError -> exit 2).
struct FamilyCommand {
  std::string name, description;
  std::vector<std::pair<std::string, std::string>> options;  // "--arch" -> help text
  std::vector<std::string> required;                         // options that must be given
  std::function<int(const std::map<std::string, std::string>& values)> run;
};

class Family {
 public:
  virtual ~Family() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  // The family's config keys (besides the common ones of sim/config/arch_loader.h).
  virtual std::vector<ParamSpec> params() const = 0;
  // Cross-key validation (InputError through values.fail(key, ...)); may resolve derived defaults.
  virtual std::shared_ptr<const FamilyConfig> configure(ParamValues& values) const = 0;
  // One line for report headers, e.g. "16x16 os".
  virtual std::string summary(const ArchConfig& arch) const = 0;
  virtual int64_t peak_macs_per_cycle(const ArchConfig& arch) const = 0;
  // Family-specific CLI commands (none by default).
  virtual std::vector<FamilyCommand> commands() const { return {}; }
  // Activations must be symmetric (zero point 0), e.g. for hardware that prunes them by magnitude.
  virtual bool symmetric_activations(const ArchConfig& /*arch*/) const { return false; }
  virtual std::unique_ptr<LayerMapping> map_layer(const ArchConfig& arch, const Layer& layer,
                                                  const MappingOptions& opts) const = 0;
  // A segment starting at layer `first` of a chained network, or null to run that layer alone.
  virtual std::unique_ptr<SegmentMapping> map_segment(const ArchConfig& /*arch*/, const Network& /*net*/,
                                                      size_t /*first*/,
                                                      const MappingOptions& /*opts*/) const {
    return nullptr;
  }
  // A run the family cannot take (e.g. a pipeline of consecutive layers asked for one layer alone): throws
  // InputError saying why. `chained`: layers read their producers' outputs; `one_layer`: --layer.
  virtual void check_run(const ArchConfig& /*arch*/, const Network& /*net*/, bool /*chained*/,
                         bool /*one_layer*/) const {}
  // The parts of a pipelined design, from the run's per-layer stats (one per layer of `net`); none for a
  // design whose layers run one after another.
  virtual std::vector<PipelinePart> pipeline_parts(const ArchConfig& /*arch*/, const Network& /*net*/,
                                                   const std::vector<LayerStats>& /*layers*/) const {
    return {};
  }
  virtual std::unique_ptr<Hardware> build(const ArchConfig& arch, const BackendOptions& opts) const = 0;
  // The memories the vector unit streams pool/add operands through (input, output).
  virtual std::pair<std::string, std::string> vector_unit_buffers(const ArchConfig& /*arch*/) const {
    return {"act", "out"};
  }
  // Cost model inputs.
  virtual cost::ActionTable actions() const = 0;
  virtual std::vector<cost::Memory> memories(const ArchConfig& arch) const = 0;
  virtual std::vector<cost::InventoryItem> area_inventory(const ArchConfig& arch) const = 0;
  // RTL of the compute core for `npusim area --synth`, and the inventory categories it covers.
  virtual std::optional<cost::SynthSpec> synth_spec(const ArchConfig& /*arch*/) const { return std::nullopt; }
  virtual std::vector<std::string> synth_categories() const { return {}; }
};

}  // namespace npusim
