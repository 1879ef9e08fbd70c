#pragma once
// Shared by the libFuzzer targets of the input readers (tests/fuzz, scripts/fuzz). Readers that take a
// path get the input through a file in a per-process scratch directory; the directory links the
// repository's configs/, workloads/ and tests/ so that an input may name shipped files relatively
// (a sweep spec's base, a FixyNN back end, a CSV's act_file).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace npusim::fuzz {

inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    // tmpfs when there is one: rewriting a file on ext4 flushes it to disk every time (auto_da_alloc).
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path d = base / ("npusim-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    for (const char* sub : {"configs", "workloads", "tests"})
      fs::create_directory_symlink(fs::path(NPUSIM_SOURCE_DIR) / sub, d / sub, ec);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);  // the links only, never their targets
    });
    return d;
  }();
  return dir;
}

// Writes `bytes` to scratch_dir()/name and returns the path.
inline std::string write_input(const std::string& bytes, const std::string& name) {
  const std::string path = (scratch_dir() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) std::abort();  // the harness itself failed: not the reader's fault, but must not pass silently
  return path;
}

inline std::string as_string(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace npusim::fuzz
