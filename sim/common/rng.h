#pragma once
// Named, seeded random streams. Every random choice in npusim comes from a stream derived from the
// run's seed and a stream name, so adding a new stream never perturbs existing ones.
#include <cstdint>
#include <string_view>

namespace npusim {

class Rng {
 public:
  Rng(uint64_t seed, std::string_view stream) : state_(mix(seed ^ hash(stream))) {
    if (state_ == 0) state_ = 0x9E3779B97F4A7C15ull;
  }
  uint64_t next_u64() {  // xorshift64*
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  // Uniform integer in [lo, hi] (inclusive).
  int64_t uniform(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(next_u64() % span);
  }
  double uniform01() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
  bool bernoulli(double p) { return uniform01() < p; }

  static uint64_t hash(std::string_view s) {  // FNV-1a
    uint64_t h = 0xcbf29ce484222325ull;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
    return h;
  }

 private:
  static uint64_t mix(uint64_t z) {  // splitmix64 finalizer
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

}  // namespace npusim
