#pragma once
// Output files of the CLI (reports, tensors, dumps): checked before a run starts, so a typo in a path
// costs no simulation time, and written atomically (a temporary file in the same directory, then
// rename()), so a reader never sees a partial file even if the process dies while writing.
// Header-only so every library (quant's .npy writer, report, app) can use it without a link dependency.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/common/error.h"

namespace npusim {

namespace output_file_detail {

inline std::filesystem::path parent_dir(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

// The directory must exist and be writable (creating and renaming files needs that, not the file's mode).
inline void check_dir(const std::string& option, const std::string& path, const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw InputError(option + " " + path + ": directory " + dir.string() + " does not exist");
  if (access(dir.c_str(), W_OK) != 0)
    throw InputError(option + " " + path + ": directory " + dir.string() + " is not writable");
}

}  // namespace output_file_detail

// Throws InputError naming the option and the path unless `path` can be written as a file. An empty
// path (option not given) passes.
inline void check_writable(const std::string& option, const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(option + " " + path + ": is a directory, expected a file name");
  output_file_detail::check_dir(option, path, output_file_detail::parent_dir(path));
}

// Same for an output directory (e.g. a tensor dump): an existing writable directory, or a new one in a
// writable directory.
inline void check_writable_dir(const std::string& option, const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec))
      throw InputError(option + " " + dir + ": is not a directory");
    output_file_detail::check_dir(option, dir, dir);
    return;
  }
  output_file_detail::check_dir(option, dir, output_file_detail::parent_dir(dir));
}

// Writes `bytes` to `path` through a temporary file beside it and rename(); InputError naming the path on
// failure (no space, permissions), with the temporary file removed.
inline void write_atomically(const std::string& path, std::string_view bytes) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path p(path);
  const std::string tmp =
      (output_file_detail::parent_dir(path) /
       ("." + p.filename().string() + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++)))
          .string();
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw InputError(path + ": cannot write (" + what + ": " + reason + ")");
  };
  // 0666 like an ordinary new file: the umask applies.
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    throw InputError(path + ": cannot write (creating " + tmp + ": " + reason + ")");
  }
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      errno = err;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) fail("close");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename");
}

// The same with the content produced by a stream writer.
inline void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::ostringstream s;
  fill(s);
  write_atomically(path, s.str());
}

}  // namespace npusim
