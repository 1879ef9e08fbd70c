// Plugin shim compiled together with a Verilated im2col_unit (never part of the npusim binary): packs
// the per-lane pins into Verilator's port types bit by bit, clocks the model once per step and unpacks
// the outputs.
#include <cstddef>
#include <memory>

#include "models/systolic/im2col_unit_plugin_abi.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif
#include NPUSIM_TOP_HEADER

namespace {

// Field [lsb, lsb + width) of a port of any Verilator type (CData/SData/IData/QData or VlWide), width <= 32.
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
void clear(T& port) { port = 0; }
template <std::size_t N>
void clear(VlWide<N>& port) {
  for (std::size_t w = 0; w < N; ++w) port[w] = 0;
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

__attribute__((visibility("default"))) int npusim_im2col_abi() { return NPUSIM_IM2COL_PLUGIN_ABI; }

__attribute__((visibility("default"))) void* npusim_im2col_create(const char* vcd_path) {
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

__attribute__((visibility("default"))) void npusim_im2col_step(void* handle, NpusimIm2colPins* p) {
  auto* inst = static_cast<Instance*>(handle);
  auto* t = inst->top.get();
  t->clk = 0;
  t->rst = p->rst & 1;
  t->ld_valid = p->ld_valid & 1;
  t->ld_bank = p->ld_bank & 1;
  t->rd_valid = p->rd_valid & 1;
  t->rd_bank = p->rd_bank & 1;
  clear(t->ld_addr);
  put_field(t->ld_addr, 0, p->aw, p->ld_addr);
  clear(t->ld_data);
  for (int q = 0; q < p->lw * p->b; ++q) put_field(t->ld_data, 8 * q, 8, static_cast<uint8_t>(p->ld_data[q]));
  clear(t->ld_mask);
  for (int l = 0; l < p->lw; ++l) put_field(t->ld_mask, l, 1, p->ld_mask[l] & 1u);
  clear(t->rd_addr);
  for (int i = 0; i < p->lanes; ++i) put_field(t->rd_addr, i * p->aw, p->aw, p->rd_addr[i]);
  clear(t->rd_mask);
  for (int i = 0; i < p->lanes; ++i) put_field(t->rd_mask, i, 1, p->rd_mask[i] & 1u);
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
  *p->out_valid = static_cast<uint8_t>(t->out_valid & 1);
  for (int q = 0; q < p->lanes * p->b; ++q)
    p->out_data[q] = static_cast<int8_t>(static_cast<uint8_t>(get_field(t->out_data, 8 * q, 8)));
}

__attribute__((visibility("default"))) void npusim_im2col_destroy(void* handle) {
  auto* inst = static_cast<Instance*>(handle);
#if VM_TRACE
  if (inst->vcd) inst->vcd->close();
#endif
  inst->top->final();
  delete inst;
}
}
