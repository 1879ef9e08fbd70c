#include "sim/driver/recurrent_cells.h"

#include "sim/quant/gru.h"
#include "sim/quant/lstm.h"

namespace npusim {

namespace {

// Vector-unit lane operations per hidden unit and step: LSTM 4 gate requantizations, 3 sigmoids, 2 tanh
// (LUT + interpolation), 3 cell multiplies/adds, 1 output requantization; GRU 4 requantizations,
// 2 sigmoids, 1 tanh, 4 multiplies/adds, 1 requantization.
constexpr int64_t kLstmOpsPerUnit = 13;
constexpr int64_t kGruOpsPerUnit = 12;

class TableLstmCell : public RecurrentCell {
 public:
  TableLstmCell(const quant::LstmParams& p, int64_t batch)
      : p_(p), batch_(batch), state_(quant::lstm_initial_state(batch, p)) {}
  bool split_gates() const override { return false; }
  int64_t gate_rows() const override { return 4 * p_.hidden_size; }
  const TensorI8& h() const override { return state_.h; }
  void step(const TensorI32& acc, const TensorI32*) override { quant::lstm_elementwise(acc, p_, state_); }
  int64_t ops_per_unit() const override { return kLstmOpsPerUnit; }
  std::unique_ptr<RecurrentCell> fresh() const override {
    return std::make_unique<TableLstmCell>(p_, batch_);
  }
  std::string semantics() const override { return "self-defined integer LSTM (docs/recurrent_golden.md)"; }

 private:
  quant::LstmParams p_;
  int64_t batch_;
  quant::LstmState state_;
};

class TableGruCell : public RecurrentCell {
 public:
  TableGruCell(const quant::GruParams& p, int64_t batch)
      : p_(p), batch_(batch), state_(quant::gru_initial_state(batch, p)) {}
  bool split_gates() const override { return false; }
  int64_t gate_rows() const override { return 4 * p_.hidden_size; }
  const TensorI8& h() const override { return state_.h; }
  void step(const TensorI32& acc, const TensorI32*) override { quant::gru_elementwise(acc, p_, state_); }
  int64_t ops_per_unit() const override { return kGruOpsPerUnit; }
  std::unique_ptr<RecurrentCell> fresh() const override { return std::make_unique<TableGruCell>(p_, batch_); }
  std::string semantics() const override { return "self-defined integer GRU (docs/recurrent_golden.md)"; }

 private:
  quant::GruParams p_;
  int64_t batch_;
  quant::GruState state_;
};

// Lane operations per hidden unit and step: 8 FC requantizations to int16, 4 saturating gate adds,
// 3 sigmoids and 2 tanh (table + interpolation), 2 cell multiplies with their requantizations, the cell
// add and clip, the output multiply and its requantization.
constexpr int64_t kTflmLstmOpsPerUnit = 24;

class TflmLstmCell : public RecurrentCell {
 public:
  TflmLstmCell(const quant::TflmLstmParams& p, int64_t batch)
      : p_(p), batch_(batch), state_(quant::tflm_lstm_initial_state(batch, p)) {}
  bool split_gates() const override { return true; }
  int64_t gate_rows() const override { return quant::kLstmGates * p_.hidden_size; }
  const TensorI8& h() const override { return state_.h; }
  void step(const TensorI32& acc, const TensorI32* acc_h) override {
    quant::tflm_lstm_elementwise(acc, *acc_h, p_, state_);
  }
  int64_t ops_per_unit() const override { return kTflmLstmOpsPerUnit; }
  std::unique_ptr<RecurrentCell> fresh() const override { return std::make_unique<TflmLstmCell>(p_, batch_); }
  std::string semantics() const override {
    return std::string(quant::lstm_reference_name(p_.reference)) + " (docs/tflm_lstm.md)";
  }

 private:
  quant::TflmLstmParams p_;
  int64_t batch_;
  quant::TflmLstmState state_;
};

}  // namespace

std::shared_ptr<const RecurrentCell> make_tflm_cell(const quant::TflmLstmParams& p, int64_t batch) {
  return std::make_shared<TflmLstmCell>(p, batch);
}

std::shared_ptr<const RecurrentCell> make_table_cell(const Layer& l, const quant::RecurrentScales& scales) {
  if (l.op == OpType::Lstm)
    return std::make_shared<TableLstmCell>(quant::make_lstm_params(l.input_size, l.hidden_size, scales),
                                           l.batch);
  return std::make_shared<TableGruCell>(quant::make_gru_params(l.input_size, l.hidden_size, scales), l.batch);
}

}  // namespace npusim
