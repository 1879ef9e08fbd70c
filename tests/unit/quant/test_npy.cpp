// .npy read/write: round trips, byte-level format, and every error path (bad files are written
// by hand into a temporary directory).
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include "sim/common/error.h"
#include "sim/quant/npy.h"

using namespace npusim;
using namespace npusim::quant;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("npusim_test_npy_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Builds a .npy file image from a header dict and raw little-endian data.
std::string npy_image(const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict;
  const size_t preamble = major == 1 ? 10 : 12;
  header.append((64 - (preamble + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const size_t len_bytes = major == 1 ? 2 : 4;
  for (size_t i = 0; i < len_bytes; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string le_bytes(const std::vector<int64_t>& values, size_t width) {
  std::string s;
  for (int64_t v : values)
    for (size_t i = 0; i < width; ++i) s += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return s;
}

// Reading `path` must throw InputError whose single-line message starts with the path and
// contains `needle`.
void check_read_error(const std::string& path, const std::string& needle) {
  INFO(path << " expecting '" << needle << "'");
  try {
    (void)read_npy_i8(path);
    FAIL("no exception");
  } catch (const InputError& e) {
    const std::string msg = e.what();
    INFO("message: " << msg);
    CHECK(msg.rfind(path + ": ", 0) == 0);
    CHECK(msg.find('\n') == std::string::npos);
    CHECK(msg.find(needle) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("npy int8 round trip", "[quant][npy]") {
  TempDir dir;
  TensorI8 t({2, 3, 4});
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<int8_t>(i * 11 - 128);
  write_npy(dir.file("a.npy"), t);
  const TensorI8 back = read_npy_i8(dir.file("a.npy"));
  CHECK(back.shape == t.shape);
  CHECK(back.data == t.data);
  // Widening read of an int8 file.
  const TensorI32 wide = read_npy_i32(dir.file("a.npy"));
  CHECK(wide.shape == t.shape);
  for (int64_t i = 0; i < t.size(); ++i) CHECK(wide[i] == t[i]);

  // Byte-level layout numpy expects: version 1.0, 64-byte aligned data, exact dict text.
  const std::string bytes = read_bytes(dir.file("a.npy"));
  REQUIRE(bytes.size() > 10);
  CHECK(bytes.compare(0, 6, "\x93NUMPY") == 0);
  CHECK(bytes[6] == 1);
  CHECK(bytes[7] == 0);
  const size_t header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  CHECK((10 + header_len) % 64 == 0);
  CHECK(bytes.size() == 10 + header_len + 24);
  CHECK(bytes.find("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3, 4), }") == 10);
  CHECK(bytes[10 + header_len - 1] == '\n');
}

TEST_CASE("npy int32 round trip", "[quant][npy]") {
  TempDir dir;
  TensorI32 t({5});
  t.data = {0, -1, 2147483647, -2147483647 - 1, 123456789};
  write_npy(dir.file("b.npy"), t);
  const TensorI32 back = read_npy_i32(dir.file("b.npy"));
  CHECK(back.shape == std::vector<int64_t>{5});
  CHECK(back.data == t.data);
  CHECK(read_bytes(dir.file("b.npy")).find("'descr': '<i4'") != std::string::npos);
  CHECK(read_bytes(dir.file("b.npy")).find("'shape': (5,)") != std::string::npos);
  // Values outside int8 cannot be read as int8.
  check_read_error(dir.file("b.npy"), "does not fit int8");

  // Scalar (0-d) and empty tensors.
  TensorI32 scalar(std::vector<int64_t>{});
  scalar.data = {-42};
  write_npy(dir.file("s.npy"), scalar);
  const TensorI32 s = read_npy_i32(dir.file("s.npy"));
  CHECK(s.shape.empty());
  CHECK(s.data == std::vector<int32_t>{-42});
  TensorI8 empty({0, 3});
  write_npy(dir.file("e.npy"), empty);
  const TensorI8 e = read_npy_i8(dir.file("e.npy"));
  CHECK(e.shape == std::vector<int64_t>{0, 3});
  CHECK(e.data.empty());
}

TEST_CASE("npy reads other integer dtypes and version 2.0", "[quant][npy]") {
  TempDir dir;
  // int16 within int8 range -> int8.
  write_bytes(dir.file("i16.npy"),
              npy_image("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }", le_bytes({-128, 127, 0, -5}, 2)));
  CHECK(read_npy_i8(dir.file("i16.npy")).data == std::vector<int8_t>{-128, 127, 0, -5});
  CHECK(read_npy_i32(dir.file("i16.npy")).data == std::vector<int32_t>{-128, 127, 0, -5});
  // int16 outside int8 range: fine as int32, an error as int8.
  write_bytes(dir.file("i16big.npy"),
              npy_image("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", le_bytes({300, -300}, 2)));
  CHECK(read_npy_i32(dir.file("i16big.npy")).data == std::vector<int32_t>{300, -300});
  check_read_error(dir.file("i16big.npy"), "value 300 at flat index 0 does not fit int8");
  // uint8: accepted as int8 only when every value is < 128.
  write_bytes(dir.file("u8.npy"),
              npy_image("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", le_bytes({0, 5, 127}, 1)));
  CHECK(read_npy_i8(dir.file("u8.npy")).data == std::vector<int8_t>{0, 5, 127});
  write_bytes(dir.file("u8big.npy"),
              npy_image("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", le_bytes({0, 200, 1}, 1)));
  check_read_error(dir.file("u8big.npy"), "uint8");
  CHECK(read_npy_i32(dir.file("u8big.npy")).data == std::vector<int32_t>{0, 200, 1});
  // Version 2.0 header, double quotes and no trailing comma are valid Python too.
  write_bytes(dir.file("v2.npy"),
              npy_image("{\"descr\": \"|i1\", \"shape\": (1, 2), \"fortran_order\": False}", le_bytes({-3, 4}, 1), 2));
  const TensorI8 v2 = read_npy_i8(dir.file("v2.npy"));
  CHECK(v2.shape == std::vector<int64_t>{1, 2});
  CHECK(v2.data == std::vector<int8_t>{-3, 4});
}

TEST_CASE("npy errors name the file", "[quant][npy]") {
  TempDir dir;
  const std::string ok_dict = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 2), }";

  check_read_error(dir.file("missing.npy"), "cannot open");

  write_bytes(dir.file("magic.npy"), "PK\x03\x04 this is a zip file, not npy");
  check_read_error(dir.file("magic.npy"), "bad magic");
  write_bytes(dir.file("empty.npy"), "");
  check_read_error(dir.file("empty.npy"), "bad magic");

  write_bytes(dir.file("f4.npy"),
              npy_image("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", std::string(8, '\0')));
  try {
    (void)read_npy_i8(dir.file("f4.npy"));
    FAIL("no exception");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == dir.file("f4.npy") + ": dtype float32, expected integers (int8/int16/int32)");
  }
  // float32 is read as such by read_npy_value (model inputs); float64 is not a model dtype.
  CHECK(read_npy_value(dir.file("f4.npy")).type == DType::Float32);
  write_bytes(dir.file("f8.npy"),
              npy_image("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')));
  check_read_error(dir.file("f8.npy"), "unsupported dtype '<f8' (expected int8/int16/int32/float32)");
  write_bytes(dir.file("be.npy"),
              npy_image("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0')));
  check_read_error(dir.file("be.npy"), "unsupported dtype '>i4'");

  write_bytes(dir.file("fortran.npy"),
              npy_image("{'descr': '|i1', 'fortran_order': True, 'shape': (2, 2), }", le_bytes({1, 2, 3, 4}, 1)));
  check_read_error(dir.file("fortran.npy"), "fortran_order");

  write_bytes(dir.file("trunc.npy"), npy_image(ok_dict, le_bytes({1, 2, 3}, 1)));
  check_read_error(dir.file("trunc.npy"), "truncated data");

  write_bytes(dir.file("extra.npy"), npy_image(ok_dict, le_bytes({1, 2, 3, 4, 5, 6}, 1)));
  check_read_error(dir.file("extra.npy"), "does not match data size");

  // int32 data of the right element count but the wrong byte count for the shape.
  write_bytes(dir.file("trunc32.npy"),
              npy_image("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", le_bytes({1, 2}, 4)));
  try {
    (void)read_npy_i32(dir.file("trunc32.npy"));
    FAIL("no exception");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(dir.file("trunc32.npy") + ": truncated data", 0) == 0);
  }

  const std::string full = npy_image(ok_dict, le_bytes({1, 2, 3, 4}, 1));
  write_bytes(dir.file("hdr.npy"), full.substr(0, 30));  // cut inside the header
  check_read_error(dir.file("hdr.npy"), "truncated header");

  std::string v3 = full;
  v3[6] = 3;
  write_bytes(dir.file("v3.npy"), v3);
  check_read_error(dir.file("v3.npy"), "version 3.0");

  write_bytes(dir.file("noshape.npy"), npy_image("{'descr': '|i1', 'fortran_order': False, }", ""));
  check_read_error(dir.file("noshape.npy"), "header lacks");

  write_bytes(dir.file("garbage.npy"), npy_image("not a dict", ""));
  check_read_error(dir.file("garbage.npy"), "malformed header");

  // Writing into a directory that does not exist.
  CHECK_THROWS_WITH(write_npy(dir.file("no/such/dir/x.npy"), TensorI8({1})),
                    Catch::StartsWith(dir.file("no/such/dir/x.npy") + ": "));
}

TEST_CASE("npy float32 reads", "[quant][npy]") {
  TempDir dir;
  const float vals[2] = {1.5f, -0.25f};
  const std::string data(reinterpret_cast<const char*>(vals), sizeof vals);
  write_bytes(dir.file("f.npy"), npy_image("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", data));
  const Tensor<float> t = read_npy_f32(dir.file("f.npy"));
  CHECK(t.shape == std::vector<int64_t>{1, 2});
  CHECK(t.data == std::vector<float>{1.5f, -0.25f});
  write_bytes(dir.file("i.npy"), npy_image("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", "ab"));
  CHECK_THROWS_AS(read_npy_f32(dir.file("i.npy")), InputError);
}
