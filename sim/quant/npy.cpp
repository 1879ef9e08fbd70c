#include "sim/quant/npy.h"

#include <cctype>
#include <cstring>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/output_file.h"

namespace npusim::quant {
namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

enum class DType { I8, U8, I16, I32, F32 };

size_t item_size(DType t) {
  switch (t) {
    case DType::I8:
    case DType::U8: return 1;
    case DType::I16: return 2;
    case DType::I32:
    case DType::F32: return 4;
  }
  return 0;
}

// Strings from the file go into one-line messages: neutralise control characters.
std::string printable(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  return out.size() > 40 ? out.substr(0, 40) + "..." : out;
}

std::string shape_tuple(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

struct Header {
  DType dtype = DType::I8;
  std::vector<int64_t> shape;
};

// Minimal parser for the Python dict literal numpy writes:
// {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  // float32 ('<f4') is accepted only when `float_ok` (read_npy_f32); the integer readers reject it.
  HeaderParser(const std::string& path, const std::string& text, bool float_ok)
      : path_(path), s_(text), float_ok_(float_ok) {}

  Header parse() {
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<int64_t>> shape;
    expect('{');
    while (true) {
      skip_ws();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      if (key == "descr") {
        descr = parse_string();
      } else if (key == "fortran_order") {
        fortran = parse_bool();
      } else if (key == "shape") {
        shape = parse_tuple();
      } else {
        fail("unexpected header key '" + printable(key) + "'");
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != '}') {
        fail("malformed header (expected ',' or '}')");
      }
    }
    if (!descr || !fortran || !shape) fail("header lacks 'descr', 'fortran_order' or 'shape'");
    if (*fortran) fail("fortran_order True is not supported (write C-order arrays)");
    Header h;
    h.shape = *shape;
    const std::string& d = *descr;
    if (d == "|i1" || d == "<i1" || d == ">i1") {
      h.dtype = DType::I8;
    } else if (d == "|u1" || d == "<u1" || d == ">u1") {
      h.dtype = DType::U8;
    } else if (d == "<i2") {
      h.dtype = DType::I16;
    } else if (d == "<i4") {
      h.dtype = DType::I32;
    } else if (d == "<f4") {
      if (!float_ok_) fail("dtype float32, expected integers (int8/int16/int32)");
      h.dtype = DType::F32;
    } else {
      fail("unsupported dtype '" + printable(d) + "' (expected int8/int16/int32/float32)");
    }
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& msg) const { throw InputError(path_ + ": " + msg); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(char c) {
    skip_ws();
    if (peek() != c) fail(std::string("malformed header (expected '") + c + "')");
    ++pos_;
  }
  std::string parse_string() {
    skip_ws();
    const char q = peek();
    if (q != '\'' && q != '"') fail("malformed header (expected a quoted string)");
    const size_t end = s_.find(q, pos_ + 1);
    if (end == std::string::npos) fail("malformed header (unterminated string)");
    std::string out = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return out;
  }
  bool parse_bool() {
    skip_ws();
    if (s_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (s_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    fail("malformed header (fortran_order is not True/False)");
  }
  std::vector<int64_t> parse_tuple() {
    expect('(');
    std::vector<int64_t> dims;
    while (true) {
      skip_ws();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("malformed header (bad shape entry)");
      int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (v > (std::numeric_limits<int64_t>::max() - 9) / 10) fail("shape dimension too large");
        v = v * 10 + (s_[pos_++] - '0');
      }
      if (peek() == 'L') ++pos_;  // Python 2 era files write long ints as 3L
      dims.push_back(v);
      skip_ws();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != ')') {
        fail("malformed header (bad shape tuple)");
      }
    }
    ++pos_;
    return dims;
  }

  const std::string& path_;
  const std::string& s_;
  bool float_ok_ = false;
  size_t pos_ = 0;
};

[[noreturn]] void fail_file(const std::string& path, const std::string& msg) {
  throw InputError(path + ": " + msg);
}

uint32_t read_le(const unsigned char* p, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

// Parses the file and returns its values widened to int64 (callers narrow with range checks); float32
// elements are returned as their raw bit patterns.
std::vector<int64_t> read_npy(const std::string& path, std::vector<int64_t>* shape, DType* dtype,
                              bool float_ok = false) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  auto fail = [&](const std::string& msg) { fail_file(path, msg); };

  if (bytes.size() < kMagicLen || bytes.compare(0, kMagicLen, kMagic, kMagicLen) != 0) {
    fail("not a .npy file (bad magic)");
  }
  if (bytes.size() < kMagicLen + 2) fail("truncated header");
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const int major = u[6], minor = u[7];
  size_t len_bytes = 0;
  if (major == 1 && minor == 0) {
    len_bytes = 2;
  } else if (major == 2 && minor == 0) {
    len_bytes = 4;
  } else {
    fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
         " (expected 1.0 or 2.0)");
  }
  const size_t header_start = kMagicLen + 2 + len_bytes;
  if (bytes.size() < header_start) fail("truncated header");
  const size_t header_len = read_le(u + kMagicLen + 2, len_bytes);
  if (bytes.size() - header_start < header_len) fail("truncated header");
  const std::string header_text = bytes.substr(header_start, header_len);
  const Header h = HeaderParser(path, header_text, float_ok).parse();

  int64_t count = 1;
  for (int64_t d : h.shape) {
    if (d != 0 && count > std::numeric_limits<int64_t>::max() / 8 / d) fail("shape " + shape_tuple(h.shape) + " too large");
    count *= d;
  }
  const size_t isz = item_size(h.dtype);
  const size_t data_start = header_start + header_len;
  const uint64_t needed = static_cast<uint64_t>(count) * isz;
  const uint64_t have = bytes.size() - data_start;
  if (have < needed) {
    fail("truncated data (shape " + shape_tuple(h.shape) + " needs " + std::to_string(needed) + " bytes, file has " +
         std::to_string(have) + ")");
  }
  if (have > needed) {
    fail("shape " + shape_tuple(h.shape) + " does not match data size (" + std::to_string(have) +
         " bytes, expected " + std::to_string(needed) + ")");
  }

  std::vector<int64_t> values(static_cast<size_t>(count));
  const unsigned char* p = u + data_start;
  for (size_t i = 0; i < values.size(); ++i, p += isz) {
    const uint32_t raw = read_le(p, isz);
    switch (h.dtype) {
      case DType::I8: values[i] = static_cast<int8_t>(static_cast<uint8_t>(raw)); break;
      case DType::U8: values[i] = static_cast<uint8_t>(raw); break;
      case DType::I16: values[i] = static_cast<int16_t>(static_cast<uint16_t>(raw)); break;
      case DType::I32: values[i] = static_cast<int32_t>(raw); break;
      case DType::F32: values[i] = raw; break;
    }
  }
  *shape = h.shape;
  *dtype = h.dtype;
  return values;
}

template <class T>
void write_impl(const std::string& path, const Tensor<T>& t, const char* descr) {
  if (Tensor<T>::count(t.shape) != t.size()) {
    throw InputError(path + ": tensor shape " + shape_tuple(t.shape) + " has " +
                     std::to_string(Tensor<T>::count(t.shape)) + " elements but data has " + std::to_string(t.size()));
  }
  std::string dict =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape_tuple(t.shape) + ", }";
  // numpy pads the header with spaces and a final '\n' so the data starts 64-byte aligned.
  auto padded = [&](size_t preamble) {
    std::string h = dict;
    const size_t total = preamble + h.size() + 1;
    h.append((64 - total % 64) % 64, ' ');
    return h + '\n';
  };
  std::string header = padded(kMagicLen + 2 + 2);
  const bool v2 = header.size() > 0xFFFF;
  if (v2) header = padded(kMagicLen + 2 + 4);

  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(v2 ? 2 : 1);
  out += static_cast<char>(0);
  const size_t len_bytes = v2 ? 4 : 2;
  for (size_t i = 0; i < len_bytes; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  out += header;
  out.reserve(out.size() + t.data.size() * sizeof(T));
  for (T v : t.data) {
    const auto raw = static_cast<uint32_t>(static_cast<int32_t>(v));
    for (size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((raw >> (8 * i)) & 0xFF);
  }

  write_atomically(path, out);
}

}  // namespace

TensorI8 read_npy_i8(const std::string& path) {
  std::vector<int64_t> shape;
  DType dtype;
  const std::vector<int64_t> values = read_npy(path, &shape, &dtype);
  TensorI8 t(shape);
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t v = values[i];
    if (v < -128 || v > 127) {
      throw InputError(path + ": value " + std::to_string(v) + " at flat index " + std::to_string(i) +
                       " does not fit int8" + (dtype == DType::U8 ? " (uint8 data must be < 128)" : ""));
    }
    t.data[i] = static_cast<int8_t>(v);
  }
  return t;
}

TensorI32 read_npy_i32(const std::string& path) {
  std::vector<int64_t> shape;
  DType dtype;
  const std::vector<int64_t> values = read_npy(path, &shape, &dtype);
  TensorI32 t(shape);
  for (size_t i = 0; i < values.size(); ++i) t.data[i] = static_cast<int32_t>(values[i]);
  return t;
}

Tensor<float> read_npy_f32(const std::string& path) {
  std::vector<int64_t> shape;
  DType dtype;
  const std::vector<int64_t> values = read_npy(path, &shape, &dtype, true);
  if (dtype != DType::F32) throw InputError(path + ": integer data, expected float32 ('<f4')");
  Tensor<float> t(shape);
  for (size_t i = 0; i < values.size(); ++i) {
    const auto bits = static_cast<uint32_t>(values[i]);
    std::memcpy(&t.data[i], &bits, sizeof bits);
  }
  return t;
}

void write_npy(const std::string& path, const TensorI8& t) { write_impl(path, t, "|i1"); }
void write_npy(const std::string& path, const TensorI32& t) { write_impl(path, t, "<i4"); }
void write_npy(const std::string& path, const TensorI16& t) { write_impl(path, t, "<i2"); }

void write_npy(const std::string& path, const Tensor<float>& t) {
  Tensor<int32_t> bits(t.shape);
  for (int64_t i = 0; i < t.size(); ++i) std::memcpy(&bits[i], &t[i], 4);
  write_impl(path, bits, "<f4");
}

TensorValue read_npy_value(const std::string& path) {
  std::vector<int64_t> shape;
  DType dtype;
  const std::vector<int64_t> values = read_npy(path, &shape, &dtype, true);
  TensorValue v;
  v.shape = shape;
  switch (dtype) {
    case DType::I8:
      v.type = npusim::DType::Int8;
      v.i8.assign(values.begin(), values.end());
      break;
    case DType::U8: throw InputError(path + ": dtype uint8; model tensors are int8, int16, int32 or float32");
    case DType::I16:
      v.type = npusim::DType::Int16;
      v.i16.assign(values.begin(), values.end());
      break;
    case DType::I32:
      v.type = npusim::DType::Int32;
      v.i32.assign(values.begin(), values.end());
      break;
    case DType::F32:
      v.type = npusim::DType::Float32;
      v.f32.resize(values.size());
      for (size_t i = 0; i < values.size(); ++i) {
        const auto raw = static_cast<uint32_t>(values[i]);
        std::memcpy(&v.f32[i], &raw, 4);
      }
      break;
  }
  return v;
}

}  // namespace npusim::quant
