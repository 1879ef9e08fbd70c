#pragma once
// Errors that map to the CLI's exit codes: InputError -> 2 (bad input, message names the file, key or
// line), VerificationError -> 1 (model/RTL/golden mismatch). Anything else is a bug.
#include <stdexcept>
#include <string>

namespace npusim {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

class VerificationError : public std::runtime_error {
 public:
  explicit VerificationError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace npusim
