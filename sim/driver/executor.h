#pragma once
// The network executor's internals (sim/driver/driver.h is the interface): the Executor that runs one
// network with real tensors flowing, and the helpers its parts share. Split over executor.cpp (the layer
// loop and the family's layers), executor_model.cpp (a real model's operators and inputs),
// executor_totals.cpp (totals, pipelined parts) and executor_helpers.cpp.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/tech_table.h"
#include "sim/driver/driver.h"
#include "sim/driver/golden.h"
#include "sim/driver/layer_operands.h"
#include "sim/driver/model_layer.h"
#include "sim/driver/quant_choice.h"
#include "sim/driver/tensor_source.h"
#include "sim/driver/tflite_golden.h"
#include "sim/driver/vector_unit.h"
#include "sim/family/registry.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/add.h"
#include "sim/quant/conv2d.h"
#include "sim/quant/npy.h"
#include "sim/quant/pool.h"
#include "sim/quant/tensor_gen.h"
#include "sim/workload/graph.h"
#include "sim/workload/tflite/symmetric_model.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim::detail {

// Memory a layer's tensors need (input, output, weights, int32 accumulators, the family's operands).
int64_t layer_bytes(const Layer& l, int64_t family_bytes);

int64_t memory_limit_bytes();

// A producer's tensor reshaped to what the consumer reads (a flatten keeps the element order).
void as_input(const Layer& l, QTensor& q, const std::vector<int64_t>& shape, const std::string& producer);

bool is_activation(const TfliteModel& m, int t);

// Shapes of a layer's inputs, one per Layer::inputs entry: the model's tensors for a model op that runs
// from the model (its operands may differ in shape, e.g. a broadcast), else the layer's input shape.
std::vector<std::vector<int64_t>> input_shapes(const Layer& l, const TfliteModel* m);

TensorValue to_value(const QTensor& q);

std::vector<TensorValue> model_values(const std::vector<QTensor>& qs);

QTensor from_value(const TensorValue& v, const std::string& where);

// `q` moved to the quantization of tensor `index` of `m` (int8 codes re-quantized when it differs).
QTensor in_quantization(QTensor q, const TfliteModel& m, int index);

// Share of elements that are not the zero point (real zeros).
double density(const QTensor& q);

std::string npy_name(const std::string& dir, const std::string& layer);

// Runs the layers of one network; state shared by the per-layer steps.
class Executor {
 public:
  Executor(const ArchConfig& arch, const Network& net, const RunOptions& opts)
      : arch_(arch), net_(net), opts_(opts), family_(family_of(arch)) {}

  RunReport run();

 private:
  // Inputs of layer `i`: the producers' tensors (chained) or drawn from the seed (independent).
  std::vector<QTensor> inputs_of(size_t i);
  LayerStats run_array_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out, bool simulate);
  // Layers first .. first + seg.size() - 1 as one segment; their stats and output tensors.
  std::vector<LayerStats> run_segment(size_t first, const SegmentMapping& seg, const std::vector<QTensor>& in,
                                      std::vector<QTensor>* outs);
  // Account for one layer's output and stats (dumps, live tensors, pricing) in the report.
  void record(size_t i, LayerStats st, QTensor out, bool report, RunReport& rep);
  LayerStats run_vector_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out);
  // A real model's operator that does not run on the array: its golden op (TFLite reference kernel), costed
  // on the vector unit or listed as host.
  LayerStats run_model_op(const Layer& l, const std::vector<QTensor>& in, QTensor* out);
  QTensor model_input(size_t k) const;
  // Final output of the model without the family's changes (DBB weights, DAP) against the run's output.
  nlohmann::json compare_with_unchanged_model() const;
  // The final tensor against an .npy of the same shape (--compare-output).
  nlohmann::json compare_with_file(const std::string& path) const;
  bool runs_on_array(const Layer& l) const { return l.on_array() || l.is_recurrent(); }
  // The golden semantics options (--rounding, --kernels, --lstm).
  quant::Rounding rounding() const {
    return opts_.rounding == "single" ? quant::Rounding::Single : quant::Rounding::Double;
  }
  TfliteKernels kernels() const {
    return opts_.kernels == "builtin" ? TfliteKernels::Builtin : TfliteKernels::Reference;
  }
  quant::LstmReference lstm() const {
    return opts_.lstm == "tflite"        ? quant::LstmReference::Tflite
           : opts_.lstm == "tflite-2021" ? quant::LstmReference::TfliteLegacy
                                         : quant::LstmReference::Tflm;
  }
  // A layer's operands and golden result: the model's (a real model) or from the seed (a layer table).
  // *weights_changed: what the family's weight preparation changed (model layers; -1 otherwise).
  PreparedLayer prepare(const Layer& l, const LayerMapping& m, const QTensor& x,
                        int64_t* weights_changed) const {
    *weights_changed = -1;
    if (!l.from_model()) return prepare_layer(l, m, x, opts_.seed, symmetric_, rounding());
    if (l.is_recurrent()) return prepare_model_recurrent(l, *model_, m, x, lstm(), weights_changed);
    return prepare_model_layer(l, *model_, m, x, model_requant(l), weights_changed);
  }
  // A model layer's weights that prepare() changed: into its stats and the run's totals.
  void account_weights(LayerStats& st, const PreparedLayer& p, int64_t changed);
  quant::Requant model_requant(const Layer& l) const {
    return tflite_gemm_requant(*model_, model_->operators.at(static_cast<size_t>(l.model_op)), rounding(),
                               kernels());
  }
  void check_memory(const Layer& l, const LayerMapping* m) const;
  void finish(RunReport& rep, const cost::AreaReport& area) const;
  // Frame period, latency and per-part figures of a pipelined design (Family::pipeline_parts).
  void pipeline_totals(RunReport& rep) const;

  const ArchConfig& arch_;
  const Network& net_;
  const RunOptions& opts_;
  const Family& family_;
  const TfliteModel* model_ = nullptr;     // the model the run executes
  const TfliteModel* original_ = nullptr;  // the file's model (differs when re-quantized to symmetric)
  std::shared_ptr<const TfliteModel> symmetric_model_;
  std::vector<QTensor> network_inputs_;  // a model's inputs, in the file's quantization
  int64_t weights_changed_ = 0, weights_total_ = 0;
  bool inputs_transformed_ = false;  // the family changes activations on the way in (e.g. DAP)
  bool inexact_ = false;             // a layer's hardware is inexact (compared as error statistics)
  bool chained_ = false, values_ = true, symmetric_ = false;
  std::unique_ptr<Hardware> hw_;
  std::map<std::string, QTensor> tensors_;  // live outputs by layer name ("" = network input)
  std::map<std::string, int> readers_left_;
  QTensor last_;  // the last layer's output (the network's final tensor)
  std::unique_ptr<cost::TechTable> tech_;
  std::vector<cost::Memory> memories_;
  cost::AreaReport area_;
  cost::ActionTable actions_;
};

}  // namespace npusim::detail
