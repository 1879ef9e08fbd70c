// Plugin shim compiled together with a Verilated sa_array (never part of the npusim binary): packs the
// per-lane pins into Verilator's port types, clocks the model once per step and unpacks the outputs.
#include <cstring>
#include <memory>

#include "models/systolic/sa_array_plugin_abi.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif
#include NPUSIM_TOP_HEADER

namespace {

// Lane widths (1, 4, 8, 32) divide 32, so a lane never straddles a 32-bit word.
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

struct Instance {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<NPUSIM_TOP_CLASS> top;
#if VM_TRACE
  std::unique_ptr<VerilatedVcdC> vcd;
#endif
  uint64_t time = 0;
};

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int npusim_sa_abi() { return NPUSIM_SA_PLUGIN_ABI; }

__attribute__((visibility("default"))) void* npusim_sa_create(const char* vcd_path) {
  auto* inst = new Instance;
  inst->ctx = std::make_unique<VerilatedContext>();
  inst->top = std::make_unique<NPUSIM_TOP_CLASS>(inst->ctx.get(), "rtl");
#if VM_TRACE
  if (vcd_path && *vcd_path) {
    inst->ctx->traceEverOn(true);
    inst->vcd = std::make_unique<VerilatedVcdC>();
    inst->top->trace(inst->vcd.get(), 99);
    inst->vcd->open(vcd_path);
  }
#else
  (void)vcd_path;
#endif
  inst->top->clk = 0;
  inst->top->eval();
  return inst;
}

__attribute__((visibility("default"))) void npusim_sa_step(void* handle, NpusimSaPins* p) {
  auto* inst = static_cast<Instance*>(handle);
  auto* t = inst->top.get();
  t->clk = 0;
  t->rst = p->rst;
  t->in_valid = p->in_valid;
  t->in_first = p->in_first;
  t->in_last = p->in_last;
  t->w_wr = p->w_wr;
  t->w_row = p->w_row;
  put_lanes(t->a_in, p->act_lanes, 8, reinterpret_cast<const uint8_t*>(p->a_in));
  put_lanes(t->a_mask, p->act_rows, 1, p->a_mask);
  put_lanes(t->w_in, p->wgt_lanes, 8, reinterpret_cast<const uint8_t*>(p->w_in));
  put_lanes(t->w_idx, p->wgt_lanes, 4, p->w_idx);
  put_lanes(t->w_mask, p->wgt_cols, 1, p->w_mask);
  t->eval();
#if VM_TRACE
  if (inst->vcd) inst->vcd->dump(inst->time * 10);
#endif
  t->clk = 1;
  t->eval();
#if VM_TRACE
  if (inst->vcd) inst->vcd->dump(inst->time * 10 + 5);
#endif
  ++inst->time;
  for (int c = 0; c < p->cols; ++c) p->out_valid[c] = static_cast<uint8_t>(get_lane(t->out_valid, c, 1));
  for (int q = 0; q < p->out_lanes; ++q) p->out_data[q] = static_cast<int32_t>(get_lane(t->out_data, q, 32));
}

__attribute__((visibility("default"))) void npusim_sa_destroy(void* handle) {
  auto* inst = static_cast<Instance*>(handle);
#if VM_TRACE
  if (inst->vcd) inst->vcd->close();
#endif
  inst->top->final();
  delete inst;
}
}
