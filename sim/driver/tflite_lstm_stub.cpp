// Placeholder until the UNIDIRECTIONAL_SEQUENCE_LSTM golden (branch tflm-lstm) is merged: weak, so the
// real definition wins when both are linked. Delete this file on that merge.
#include "sim/common/error.h"
#include "sim/driver/tflite_golden.h"

namespace npusim {

__attribute__((weak)) TensorValue eval_tflite_lstm(const TfliteModel&, const TfliteOperator&,
                                                   const TensorValue&) {
  throw InputError("UNIDIRECTIONAL_SEQUENCE_LSTM: not built in");
}

}  // namespace npusim
