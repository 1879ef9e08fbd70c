#pragma once
// Shared by the RTL plugin shims (compiled with a Verilated top, never into npusim): one Verilated
// instance with optional VCD, its two-phase clock edge, and packing of per-lane pins into
// Verilator's port types (CData/SData/IData/QData or VlWide).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

namespace npusim_shim {

template <class Top>
struct Instance {
  std::unique_ptr<VerilatedContext> ctx = std::make_unique<VerilatedContext>();
  std::unique_ptr<Top> top;
#if VM_TRACE
  std::unique_ptr<VerilatedVcdC> vcd;
#endif
  uint64_t time = 0;

  explicit Instance(const char* vcd_path) : top(std::make_unique<Top>(ctx.get(), "rtl")) {
#if VM_TRACE
    if (vcd_path && *vcd_path) {
      ctx->traceEverOn(true);
      vcd = std::make_unique<VerilatedVcdC>();
      top->trace(vcd.get(), 99);
      vcd->open(vcd_path);
    }
#else
    (void)vcd_path;
#endif
    top->clk = 0;
    top->eval();
  }
  ~Instance() {
#if VM_TRACE
    if (vcd) vcd->close();
#endif
    top->final();
  }
  // One rising edge: the inputs set by `drive` are evaluated with clk low, then clk rises.
  template <class Drive>
  void edge(Drive drive) {
    top->clk = 0;
    drive(*top);
    top->eval();
#if VM_TRACE
    if (vcd) vcd->dump(time * 10);
#endif
    top->clk = 1;
    top->eval();
#if VM_TRACE
    if (vcd) vcd->dump(time * 10 + 5);
#endif
    ++time;
  }
};

// Whole port from lanes whose width divides 32 (so no lane straddles a 32-bit word): fast path.
template <class T>
void put_lanes(T& port, int lanes, int width, const uint8_t* v8, const int32_t* v32 = nullptr) {
  T acc = 0;
  const uint64_t mask = (width >= 64) ? ~0ull : ((1ull << width) - 1);
  for (int i = 0; i < lanes; ++i) {
    const uint64_t v = v32 ? static_cast<uint32_t>(v32[i]) : v8[i];
    acc |= static_cast<T>((v & mask) << (i * width));
  }
  port = acc;
}
template <std::size_t N>
void put_lanes(VlWide<N>& port, int lanes, int width, const uint8_t* v8, const int32_t* v32 = nullptr) {
  for (std::size_t w = 0; w < N; ++w) port[w] = 0;
  const uint32_t mask = (width >= 32) ? ~0u : ((1u << width) - 1);
  for (int i = 0; i < lanes; ++i) {
    const uint32_t v = v32 ? static_cast<uint32_t>(v32[i]) : v8[i];
    const int bit = i * width;
    port[bit / 32] |= (v & mask) << (bit % 32);
  }
}
template <class T>
uint32_t get_lane(const T& port, int i, int width) {
  const uint64_t mask = (width >= 64) ? ~0ull : ((1ull << width) - 1);
  return static_cast<uint32_t>((static_cast<uint64_t>(port) >> (i * width)) & mask);
}
template <std::size_t N>
uint32_t get_lane(const VlWide<N>& port, int i, int width) {
  const uint32_t mask = (width >= 32) ? ~0u : ((1u << width) - 1);
  const int bit = i * width;
  return (port[bit / 32] >> (bit % 32)) & mask;
}

// Any field [lsb, lsb + width), width <= 32, bit by bit (lanes of any width).
template <class T>
void clear(T& port) { port = 0; }
template <std::size_t N>
void clear(VlWide<N>& port) {
  for (std::size_t w = 0; w < N; ++w) port[w] = 0;
}
template <class T>
void put_field(T& port, int lsb, int width, uint32_t v) {
  for (int k = 0; k < width; ++k)
    if ((v >> k) & 1u) port |= static_cast<T>(static_cast<T>(1) << (lsb + k));
}
template <std::size_t N>
void put_field(VlWide<N>& port, int lsb, int width, uint32_t v) {
  for (int k = 0; k < width; ++k)
    if ((v >> k) & 1u) port[(lsb + k) / 32] |= 1u << ((lsb + k) % 32);
}
template <class T>
uint32_t get_field(const T& port, int lsb, int width) {
  uint32_t v = 0;
  for (int k = 0; k < width; ++k) v |= static_cast<uint32_t>((static_cast<uint64_t>(port) >> (lsb + k)) & 1u) << k;
  return v;
}
template <std::size_t N>
uint32_t get_field(const VlWide<N>& port, int lsb, int width) {
  uint32_t v = 0;
  for (int k = 0; k < width; ++k) v |= ((port[(lsb + k) / 32] >> ((lsb + k) % 32)) & 1u) << k;
  return v;
}

}  // namespace npusim_shim
