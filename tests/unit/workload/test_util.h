#pragma once
// Helpers for the workload/config loader tests: a private temp directory and InputError checks.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/workload/layer.h"

namespace npusim::test {

inline std::string source_dir() {
  return NPUSIM_SOURCE_DIR;
}

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "npusim_test_XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to <dir>/<name> and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = path_ / name;
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Runs f and returns the message of the InputError it must throw ("" and a failed check otherwise).
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected npusim::InputError, got another exception: " << e.what());
  }
  FAIL("expected npusim::InputError, nothing was thrown");
  return "";
}

// The message is one line and contains every needle.
inline void check_message(const std::string& msg, const std::vector<std::string>& needles) {
  INFO("message: " << msg);
  CHECK(!msg.empty());
  CHECK(msg.find('\n') == std::string::npos);
  for (const std::string& n : needles) CHECK_THAT(msg, Catch::Matchers::Contains(n));
}

// A file text that must be rejected (or reported) with a one-line message containing every needle.
struct MessageCase {
  const char* what;
  std::string text;
  std::vector<std::string> needles;
};

inline const Layer& find_layer(const Network& n, const std::string& name) {
  for (const Layer& L : n.layers)
    if (L.name == name) return L;
  FAIL("no layer " << name);
  return n.layers.front();
}

}  // namespace npusim::test
