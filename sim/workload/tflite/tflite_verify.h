#pragma once
// Flatbuffers verification of a `.tflite` buffer, with the failing table located for the message.
#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

// InputError "path: file too short / missing TFL3 identifier at offset 4" or "path: not a valid TFLite
// flatbuffer (verification failed at subgraphs[0].tensors[3], offset N)" unless every table, vector
// and string of the model lies inside the buffer. After it returns, the generated accessors are safe.
void verify_tflite_buffer(const std::vector<uint8_t>& bytes, const std::string& path);

}  // namespace npusim
