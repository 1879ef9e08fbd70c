#include "tests/rtl/fixynn/model_front.h"

#include "models/fixynn/fixed_net_builder.h"
#include "sim/common/rng.h"
#include "sim/driver/model_layer.h"
#include "sim/driver/tflite_golden.h"
#include "sim/workload/tflite/tflite_network.h"

namespace npusim::fixynn::test {

namespace {

// The exact hardware's mapping: weights and inputs as the model has them.
class PlainMapping final : public LayerMapping {
 public:
  LayerOutcome estimate(const LayerOperands&) const override { return {}; }
  LayerOutcome simulate(Hardware&, const LayerOperands&) const override { return {}; }
};

}  // namespace

std::vector<TensorI8> ModelFront::stage_golden() const {
  std::vector<TensorI8> out;
  size_t layer = 0;
  for (const FixedStage& st : net.stages) {
    layer += st.layers.size();
    out.push_back(golden.at(layer - 1));
  }
  return out;
}

ModelFront model_front(const std::string& path, size_t layers, uint64_t seed) {
  ModelFront f;
  f.network = load_tflite_network(path);
  const TfliteModel& m = *f.network.model;
  const Layer& l0 = f.network.layers.at(0);
  const TfliteTensor& in = m.tensors.at(static_cast<size_t>(m.inputs.at(0)));
  QTensor x;
  x.scale = in.quant.scales.at(0);
  x.zero_point = static_cast<int32_t>(in.quant.zero_points.at(0));
  x.t = TensorI8({l0.H, l0.W, l0.C});
  Rng rng(seed, "fixynn_model_input");
  for (int8_t& v : x.t.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  f.input = x.t;
  const PlainMapping mapping;
  std::vector<PreparedLayer> prepared;
  prepared.reserve(layers);
  std::vector<const Layer*> lp;
  std::vector<const LayerOperands*> op;
  for (size_t i = 0; i < layers; ++i) {
    const Layer& l = f.network.layers.at(i);
    const quant::Requant rq = tflite_gemm_requant(m, m.operators.at(static_cast<size_t>(l.model_op)),
                                                  quant::Rounding::Double, TfliteKernels::Reference);
    int64_t changed = 0;
    prepared.push_back(prepare_model_layer(l, m, mapping, x, rq, &changed));
    x = prepared.back().golden_out;
    f.golden.push_back(x.t);
    lp.push_back(&l);
    op.push_back(&prepared.back().ops);
  }
  f.net = build_fixed_net(lp, op, 0);
  return f;
}

}  // namespace npusim::fixynn::test
