#pragma once
// Used by the RTL plugin shim (compiled with a Verilated top, never into npusim): one Verilated
// instance with optional VCD and chosen power-up values, its two-phase clock edge, and packing of
// per-lane pins into Verilator's port types (CData/SData/IData/QData or VlWide).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

namespace npusim_shim {

// Power-up values are set on the context before the model exists: its constructor initialises every
// variable (random with --x-initial unique and randReset(2)). Seed 0 keeps them all zero.
inline std::unique_ptr<VerilatedContext> make_context(uint32_t reset_seed) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(reset_seed ? 2 : 0);
  const int seed = static_cast<int>(reset_seed & 0x7fffffff);
  if (reset_seed) ctx->randSeed(seed ? seed : 1);  // Verilator reads seed 0 as "seed from the time"
  return ctx;
}

template <class Top>
struct Instance {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Top> top;
#if VM_TRACE
  std::unique_ptr<VerilatedVcdC> vcd;
#endif
  uint64_t time = 0;

  Instance(const char* vcd_path, uint32_t reset_seed)
      : ctx(make_context(reset_seed)), top(std::make_unique<Top>(ctx.get(), "rtl")) {
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

// Bits a port member can hold.
template <class T>
constexpr int port_bits(const T&) { return static_cast<int>(sizeof(T) * 8); }
template <std::size_t N>
constexpr int port_bits(const VlWide<N>&) { return static_cast<int>(N * 32); }

// What Verilator makes of a port of `bits` bits: CData, SData, IData, QData, else 32-bit words.
constexpr int verilated_bits(int bits) {
  return bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 32 ? 32 : bits <= 64 ? 64 : (bits + 31) / 32 * 32;
}

// Lanes of `width` bits (values already masked), lane i at bits [i*width +: width]. Integer ports hold
// at most 64 bits, so all lanes fit one 64-bit accumulator.
template <class T>
void put_port(T& port, int width, int lanes, const uint32_t* v) {
  uint64_t acc = 0;
  for (int i = 0; i < lanes; ++i) acc |= static_cast<uint64_t>(v[i]) << (i * width);
  port = static_cast<T>(acc);
}
template <std::size_t N>
void put_port(VlWide<N>& port, int width, int lanes, const uint32_t* v) {
  for (std::size_t w = 0; w < N; ++w) port[w] = 0;
  for (int i = 0; i < lanes; ++i) {
    const int bit = i * width, word = bit / 32, off = bit % 32;
    port[word] |= v[i] << off;
    if (off + width > 32) port[word + 1] |= v[i] >> (32 - off);  // lane straddles two words
  }
}
template <class T>
void get_port(const T& port, int width, int lanes, uint32_t* v) {
  const uint64_t mask = width >= 32 ? 0xffffffffull : (1ull << width) - 1;
  for (int i = 0; i < lanes; ++i) v[i] = static_cast<uint32_t>((static_cast<uint64_t>(port) >> (i * width)) & mask);
}
template <std::size_t N>
void get_port(const VlWide<N>& port, int width, int lanes, uint32_t* v) {
  const uint32_t mask = width >= 32 ? ~0u : (1u << width) - 1;
  for (int i = 0; i < lanes; ++i) {
    const int bit = i * width, word = bit / 32, off = bit % 32;
    uint32_t x = port[word] >> off;
    if (off + width > 32) x |= port[word + 1] << (32 - off);
    v[i] = x & mask;
  }
}

}  // namespace npusim_shim
