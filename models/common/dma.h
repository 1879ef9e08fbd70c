#pragma once
// DRAM port with a finite bandwidth: transfers are served one at a time in FIFO order; a transfer of
// X bytes occupies the port for ceil(X / bytes_per_cycle) cycles. The engine ticks the port last in
// each cycle: a transfer enqueued in cycle t uses the port from cycle t on (if it is free), and its
// data is usable from the cycle after its last one.
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

namespace npusim {

class DmaPort {
 public:
  struct Xfer {
    int kind = 0;     // caller-defined
    int64_t id = 0;   // caller-defined
    int64_t bytes = 0;
    int64_t cycles_left = 0;
  };
  explicit DmaPort(double bytes_per_cycle) : bpc_(bytes_per_cycle) {}
  int64_t cycles_for(int64_t bytes) const { return static_cast<int64_t>(std::ceil(bytes / bpc_ - 1e-9)); }
  void enqueue(int kind, int64_t id, int64_t bytes) {
    if (bytes <= 0) return;
    pending_.push_back({kind, id, bytes, cycles_for(bytes)});
  }
  // One cycle; returns the transfers that completed in it.
  const std::vector<Xfer>& tick() {
    done_.clear();
    if (!active_.empty() || !pending_.empty()) {
      if (active_.empty()) {
        active_.push_back(pending_.front());
        pending_.pop_front();
      }
      Xfer& x = active_.front();
      ++busy_cycles_;
      if (--x.cycles_left == 0) {
        done_.push_back(x);
        active_.clear();
      }
    }
    return done_;
  }
  bool idle() const { return active_.empty() && pending_.empty(); }
  int64_t busy_cycles() const { return busy_cycles_; }

 private:
  double bpc_;
  std::deque<Xfer> pending_;
  std::vector<Xfer> active_;
  std::vector<Xfer> done_;
  int64_t busy_cycles_ = 0;
};

}  // namespace npusim
