#include "sim/driver/golden.h"

#include <algorithm>

#include "sim/quant/conv2d.h"
#include "sim/quant/fully_connected.h"
#include "sim/quant/fully_connected.h"
#include "sim/quant/recurrent.h"
#include "sim/workload/graph.h"

namespace npusim {

std::vector<int64_t> layer_input_shape(const Layer& l) {
  // Recurrent inputs are time-major here: each step's [batch][I] rows are contiguous.
  return l.is_recurrent() ? std::vector<int64_t>{l.seq_len, l.batch, l.input_size} : graph::input_shape(l);
}

std::vector<int64_t> layer_weight_shape(const Layer& l) {
  if (l.is_recurrent()) return {(l.op == OpType::Lstm ? 4 : 3) * l.hidden_size, l.input_size + l.hidden_size};
  if (l.op == OpType::Fc) return {l.K, l.C};
  return {l.K, l.R, l.S, l.channels_per_group()};
}

TensorI32 golden_acc(const Layer& l, const TensorI8& input, const TensorI8& w, const std::vector<int32_t>& bias,
                     int32_t zp) {
  if (l.op == OpType::Fc) return quant::fc_acc(input, w, bias, zp);
  const quant::ConvGeom g = quant::conv_geom(l);
  if (l.batch == 1) {
    TensorI32 acc = quant::conv2d_acc(input, w, bias, zp, g);
    acc.shape = {l.out_h * l.out_w, l.K};
    return acc;
  }
  TensorI32 all({l.gemm_m(), l.K});
  const int64_t img = l.H * l.W * l.C, out = l.out_h * l.out_w * l.K;
  for (int64_t b = 0; b < l.batch; ++b) {
    TensorI8 one({l.H, l.W, l.C});
    std::copy_n(&input[b * img], img, one.data.begin());
    const TensorI32 acc = quant::conv2d_acc(one, w, bias, zp, g);
    std::copy_n(acc.data.begin(), out, all.data.begin() + b * out);
  }
  return all;
}

TensorI8 requantize_all(const TensorI32& acc, const quant::Requant& rq) {
  TensorI8 out(acc.shape);
  const int64_t K = acc.shape.back();
  for (int64_t i = 0; i < acc.size(); ++i) out[i] = quant::requantize(acc[i], rq, i % K);
  return out;
}

TensorI8 concat_rows(const TensorI8& x, const TensorI8& h) {
  const int64_t batch = x.dim(0), I = x.dim(1), H = h.dim(1);
  TensorI8 a({batch, I + H});
  for (int64_t b = 0; b < batch; ++b) {
    std::copy_n(&x[b * I], I, &a[b * (I + H)]);
    std::copy_n(&h[b * H], H, &a[b * (I + H) + I]);
  }
  return a;
}

void split_rows(const TensorI8& a, TensorI8& x, TensorI8& h) {
  const int64_t batch = x.dim(0), I = x.dim(1), H = h.dim(1);
  for (int64_t b = 0; b < batch; ++b) {
    std::copy_n(&a[b * (I + H)], I, &x[b * I]);
    std::copy_n(&a[b * (I + H) + I], H, &h[b * H]);
  }
}

GoldenRecurrent golden_recurrent(const Layer& l, const LayerOperands& ops, const LayerMapping& mapping) {
  std::unique_ptr<RecurrentCell> cell = ops.cell->fresh();
  const bool split = cell->split_gates();
  const int64_t I = l.input_size, H = l.hidden_size, T = l.seq_len, batch = l.batch, G = cell->gate_rows();
  const int64_t cols = split ? 2 * G : G;
  GoldenRecurrent g{TensorI32({T, batch, cols}), TensorI8({T, batch, H})};
  TensorI8 x({batch, I}), gx({batch, I}), gh({batch, H});
  const std::string what = l.source + ": " + l.name;
  const auto& sc = ops.scales;
  for (int64_t t = 0; t < T; ++t) {
    std::copy_n(&ops.input[t * batch * I], batch * I, x.data.begin());
    const TensorI8& h = cell->h();
    if (split) {
      // Input and recurrent products apart; each operand passes the hardware's input transformation.
      const TensorI8 hx = mapping.transforms_input() ? mapping.hardware_input(x) : x;
      const TensorI8 hh = mapping.transforms_input() ? mapping.hardware_input(h) : h;
      const TensorI32 ax = quant::fc_acc(hx, ops.weights, ops.bias, sc.input_zero_point);
      const TensorI32 ah = quant::fc_acc(hh, ops.recurrent_weights, {}, sc.hidden_zero_point);
      for (int64_t b = 0; b < batch; ++b) {
        std::copy_n(&ax[b * G], G, &g.acc[(t * batch + b) * cols]);
        std::copy_n(&ah[b * G], G, &g.acc[(t * batch + b) * cols + G]);
      }
      cell->step(ax, &ah);
    } else {
      if (mapping.transforms_input()) {
        split_rows(mapping.hardware_input(concat_rows(x, h)), gx, gh);
      } else {
        gx = x;
        gh = h;
      }
      const TensorI32 acc = quant::recurrent_gate_gemm(gx, gh, ops.weights, ops.bias, sc.input_zero_point,
                                                       sc.hidden_zero_point, what);
      std::copy(acc.data.begin(), acc.data.end(), g.acc.data.begin() + t * batch * G);
      cell->step(acc, nullptr);
    }
    std::copy(cell->h().data.begin(), cell->h().data.end(), g.h.data.begin() + t * batch * H);
  }
  return g;
}

}  // namespace npusim
