#pragma once
// The ports of one RTL block, written once per block: name, bits per lane, lanes, and where the lanes
// live in the block's C++ pin struct (its Inputs or Outputs). From this list the lockstep harness
// compares outputs, the VCD writer declares and dumps signals, and the RTL adapter packs the pins the
// plugin shim puts on the Verilated ports (lane i of a port at bits [i*width +: width]).
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace npusim::cosim {

struct Port {
  std::string name;  // as in the Verilog module
  int width = 1;     // bits per lane, 1..32
  int lanes = 1;     // lane i at bits [i*width +: width] of the Verilog port
  bool vector = false;  // a per-lane port (named name_i in traces) even when it has one lane
};

template <class Pins>
class PortList {
 public:
  // A single-lane port held in a scalar member (bool or an integer).
  template <class T>
  PortList& scalar(const std::string& name, int width, T Pins::*field) {
    add({name, width, 1, false}, [field](const Pins& p, int) { return static_cast<int64_t>(p.*field); },
        [field](Pins& p, int, uint32_t v) { p.*field = static_cast<T>(v); });
    return *this;
  }
  // A port of `lanes` lanes held in a vector member, lane i at element i.
  template <class T>
  PortList& vector(const std::string& name, int width, int lanes, std::vector<T> Pins::*field) {
    add({name, width, lanes, true}, [field](const Pins& p, int i) { return static_cast<int64_t>((p.*field)[i]); },
        [field](Pins& p, int i, uint32_t v) { (p.*field)[i] = static_cast<T>(v); });
    fields_.back().size = [field](const Pins& p) { return (p.*field).size(); };
    return *this;
  }

  // A port whose lanes live where `get` / `set` reach (e.g. inside one element of a vector of structs).
  PortList& lanes(const Port& port, std::function<int64_t(const Pins&, int)> get,
                  std::function<void(Pins&, int, uint32_t)> set) {
    add(port, std::move(get), std::move(set));
    return *this;
  }

  const std::vector<Port>& ports() const { return ports_; }
  int total_lanes() const { return total_lanes_; }
  // Lane `lane` of port `port` as the C++ side holds it (signed values stay signed).
  int64_t value(const Pins& p, size_t port, int lane) const { return fields_[port].get(p, lane); }

  // All lanes, port after port, each masked to its width (what goes on the wires).
  void pack(const Pins& p, uint32_t* out) const {
    for (size_t k = 0; k < ports_.size(); ++k) {
      const uint32_t mask = width_mask(ports_[k].width);
      for (int i = 0; i < ports_[k].lanes; ++i) *out++ = static_cast<uint32_t>(fields_[k].get(p, i)) & mask;
    }
  }
  // The inverse: the struct's members from wire values (an 8-bit lane 0xff becomes int8_t -1).
  void unpack(const uint32_t* in, Pins& p) const {
    for (size_t k = 0; k < ports_.size(); ++k)
      for (int i = 0; i < ports_[k].lanes; ++i) fields_[k].set(p, i, *in++);
  }
  // Throws unless every vector member holds exactly its port's lanes (a wrong-sized stimulus).
  void check_sizes(const Pins& p, const std::string& block) const {
    for (size_t k = 0; k < ports_.size(); ++k)
      if (fields_[k].size && fields_[k].size(p) != static_cast<size_t>(ports_[k].lanes))
        throw std::invalid_argument(block + ": port " + ports_[k].name + " needs " +
                                    std::to_string(ports_[k].lanes) + " lanes");
  }

  static uint32_t width_mask(int width) { return width >= 32 ? ~0u : (1u << width) - 1; }

 private:
  struct Field {
    std::function<int64_t(const Pins&, int)> get;
    std::function<void(Pins&, int, uint32_t)> set;
    std::function<size_t(const Pins&)> size;  // vector members only
  };
  void add(const Port& port, std::function<int64_t(const Pins&, int)> get,
           std::function<void(Pins&, int, uint32_t)> set) {
    if (port.width < 1 || port.width > 32 || port.lanes < 1)
      throw std::invalid_argument("port " + port.name + ": need 1..32 bits per lane and at least one lane");
    ports_.push_back(port);
    fields_.push_back({std::move(get), std::move(set), nullptr});
    total_lanes_ += port.lanes;
  }

  std::vector<Port> ports_;
  std::vector<Field> fields_;
  int total_lanes_ = 0;
};

}  // namespace npusim::cosim
