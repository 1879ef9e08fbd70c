#include "sim/workload/tflite/tflite_verify.h"

#include <fmt/format.h>

#include <functional>
#include <optional>

#include "sim/common/error.h"
#include "tflite_schema_generated.h"

namespace npusim {

namespace {

namespace fb = flatbuffers;
using TableVec = fb::Vector<fb::Offset<fb::Table>>;

struct Failure {
  std::string where;
  size_t offset;
};

// Fresh verifier per probe: each probe must stand on its own so a failure is attributed to the
// smallest table that fails by itself.
fb::Verifier make_verifier(const std::vector<uint8_t>& b) { return fb::Verifier(b.data(), b.size()); }

// The vector of tables in field `field` of `parent`, or nullptr if the field is absent; a Failure if
// the offset or the vector itself lies outside the buffer.
std::optional<Failure> probe_vector(const std::vector<uint8_t>& b, const fb::Table* parent, fb::voffset_t field,
                                    const std::string& where, const TableVec** out) {
  auto v = make_verifier(b);
  if (!parent->VerifyOffset(v, field)) return Failure{where, static_cast<size_t>(reinterpret_cast<const uint8_t*>(parent) - b.data())};
  *out = parent->GetPointer<const TableVec*>(field);
  if (*out && !v.VerifyVector(*out))
    return Failure{where, static_cast<size_t>(reinterpret_cast<const uint8_t*>(*out) - b.data())};
  return std::nullopt;
}

// Verifies each element of a table vector with `verify`; on failure descends with `inner` if given.
template <typename T>
std::optional<Failure> probe_elements(
    const std::vector<uint8_t>& b, const TableVec* vec, const std::string& where,
    const std::function<std::optional<Failure>(const fb::Table*, const std::string&)>& inner = nullptr) {
  if (!vec) return std::nullopt;
  for (fb::uoffset_t i = 0; i < vec->size(); ++i) {
    const std::string at = fmt::format("{}[{}]", where, i);
    const fb::Table* t = vec->Get(i);
    auto v = make_verifier(b);
    const size_t off = static_cast<size_t>(reinterpret_cast<const uint8_t*>(t) - b.data());
    if (!v.VerifyTableStart(reinterpret_cast<const uint8_t*>(t))) return Failure{at, off};
    auto v2 = make_verifier(b);
    if (reinterpret_cast<const T*>(t)->Verify(v2)) continue;
    if (inner) {
      if (auto f = inner(t, at)) return f;
    }
    return Failure{at, off};
  }
  return std::nullopt;
}

std::optional<Failure> probe_subgraph(const std::vector<uint8_t>& b, const fb::Table* sg, const std::string& at) {
  const TableVec* vec = nullptr;
  if (auto f = probe_vector(b, sg, tflite::SubGraph::VT_TENSORS, at + ".tensors", &vec)) return f;
  if (auto f = probe_elements<tflite::Tensor>(b, vec, at + ".tensors")) return f;
  if (auto f = probe_vector(b, sg, tflite::SubGraph::VT_OPERATORS, at + ".operators", &vec)) return f;
  if (auto f = probe_elements<tflite::Operator>(b, vec, at + ".operators")) return f;
  return std::nullopt;
}

// Finds the smallest failing part of a model that does not verify as a whole.
Failure locate(const std::vector<uint8_t>& b) {
  const size_t root_off = fb::ReadScalar<fb::uoffset_t>(b.data());
  const Failure whole{"the Model table", root_off};
  const auto* root = fb::GetRoot<fb::Table>(b.data());
  auto v = make_verifier(b);
  if (root_off >= b.size() || !v.VerifyTableStart(reinterpret_cast<const uint8_t*>(root))) return whole;
  const TableVec* vec = nullptr;
  if (auto f = probe_vector(b, root, tflite::Model::VT_OPERATOR_CODES, "operator_codes", &vec)) return *f;
  if (auto f = probe_elements<tflite::OperatorCode>(b, vec, "operator_codes")) return *f;
  if (auto f = probe_vector(b, root, tflite::Model::VT_SUBGRAPHS, "subgraphs", &vec)) return *f;
  if (auto f = probe_elements<tflite::SubGraph>(b, vec, "subgraphs", [&b](const fb::Table* t, const std::string& at) {
        return probe_subgraph(b, t, at);
      }))
    return *f;
  if (auto f = probe_vector(b, root, tflite::Model::VT_BUFFERS, "buffers", &vec)) return *f;
  if (auto f = probe_elements<tflite::Buffer>(b, vec, "buffers")) return *f;
  return whole;
}

}  // namespace

void verify_tflite_buffer(const std::vector<uint8_t>& bytes, const std::string& path) {
  if (bytes.size() < 8 || !tflite::ModelBufferHasIdentifier(bytes.data()))
    throw InputError(fmt::format("{}: not a TFLite model (file too short / missing TFL3 identifier at offset 4; {} bytes)",
                                 path, bytes.size()));
  // flatbuffers offsets are 32-bit; a larger file cannot be a plain model.
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
    throw InputError(fmt::format("{}: not a valid TFLite flatbuffer ({} bytes: too large)", path, bytes.size()));
  fb::Verifier verifier(bytes.data(), bytes.size());
  if (tflite::VerifyModelBuffer(verifier)) return;
  const Failure f = locate(bytes);
  throw InputError(fmt::format("{}: not a valid TFLite flatbuffer (verification failed at {}, offset {})", path,
                               f.where, f.offset));
}

}  // namespace npusim
