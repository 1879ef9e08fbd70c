#pragma once
// Minimal value-change-dump writer for port-level traces of both lockstep sides.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace npusim::cosim {

class VcdWriter {
 public:
  explicit VcdWriter(const std::string& path, const std::string& timescale = "1ns");
  // Declare before the first set_time(). Returns the signal id.
  int add(const std::string& scope, const std::string& name, int width);
  void set_time(uint64_t t);
  void set(int id, uint64_t value);
  bool ok() const { return static_cast<bool>(out_); }

 private:
  struct Sig {
    std::string scope, name, code;
    int width;
    uint64_t value;
    bool dumped;
  };
  void header();
  std::ofstream out_;
  std::string timescale_;
  std::vector<Sig> sigs_;
  bool started_ = false;
};

}  // namespace npusim::cosim
