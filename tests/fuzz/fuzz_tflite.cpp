// Fuzz target: .tflite models (sim/workload/tflite): the strict flatbuffer reader, then the model as a
// workload graph, as load_workload does for a .tflite file.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/common/error.h"
#include "sim/workload/tflite/tflite_network.h"
#include "sim/workload/tflite/tflite_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  try {
    auto model = std::make_shared<const npusim::TfliteModel>(npusim::parse_tflite(bytes, "fuzz.tflite"));
    (void)npusim::network_from_tflite(model);
  } catch (const npusim::InputError&) {
  }
  return 0;
}
