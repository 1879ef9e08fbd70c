#pragma once
// The element-wise half of a recurrent layer (gate activations, cell update, new hidden state). The
// executor owns its semantics (the self-defined LSTM / GRU of docs/recurrent_golden.md, or TFLM's
// integer LSTM of a real model, docs/tflm_lstm.md); a family's mapping computes each time step's gate
// accumulators on its array and hands them to the cell, which runs on the vector unit.
#include <cstdint>
#include <memory>
#include <string>

#include "sim/common/tensor.h"

namespace npusim {

class RecurrentCell {
 public:
  virtual ~RecurrentCell() = default;
  // The gate accumulators the array must produce per step, for G = gate_rows():
  //  - stacked (split_gates() false): acc [batch][G] = bias + W [x - z_x, h - z_h], one GEMM of the
  //    [x, h] rows with LayerOperands::weights [G][I + H];
  //  - split (true; TFLM's LSTM requantizes the two products separately): acc_x [batch][G] = bias +
  //    W_x (x - z_x) with W_x = LayerOperands::weights [G][I], and acc_h [batch][G] = W_h (h - z_h) with
  //    W_h = LayerOperands::recurrent_weights [G][H]. acc_x does not depend on h, so a mapping may
  //    compute it for every step at once.
  virtual bool split_gates() const = 0;
  virtual int64_t gate_rows() const = 0;
  // The hidden state [batch][H] the next step reads (the initial state before the first step).
  virtual const TensorI8& h() const = 0;
  // One time step from its accumulators (acc_h null unless split_gates()); updates the state.
  virtual void step(const TensorI32& acc, const TensorI32* acc_h) = 0;
  // Vector-unit lane operations per hidden unit and step (requantizations, activations, cell math).
  virtual int64_t ops_per_unit() const = 0;
  // A cell of the same parameters in the initial state.
  virtual std::unique_ptr<RecurrentCell> fresh() const = 0;
  // What the report names, e.g. "TFLM integer LSTM (8x8->16)".
  virtual std::string semantics() const = 0;
};

}  // namespace npusim
