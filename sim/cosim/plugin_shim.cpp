// The one plugin shim, compiled together with any Verilated top (never part of the npusim binary).
// The build passes the block's port names, from its port list, as two X-macros:
//   NPUSIM_IN_PORTS(X) = X(rst) X(in_valid) ...   NPUSIM_OUT_PORTS(X) = X(out_valid) ...
// (the top's clock is `clk`). Each step puts one uint32 per lane on the inputs, clocks one edge and
// reads the outputs back the same way (sim/cosim/plugin_abi.h).
#include <cstdio>
#include <cstring>
#include <vector>

#include "sim/cosim/plugin_abi.h"
#include "sim/cosim/verilated_shim.h"
#include NPUSIM_TOP_HEADER

#if !defined(NPUSIM_IN_PORTS) || !defined(NPUSIM_OUT_PORTS)
#error "the plugin build must define NPUSIM_IN_PORTS(X) and NPUSIM_OUT_PORTS(X)"
#endif

namespace {

using Top = NPUSIM_TOP_CLASS;

struct Plugin {
  npusim_shim::Instance<Top> inst;
  std::vector<NpusimPort> in, out;
  Plugin(const NpusimPluginConfig& c)
      : inst(c.vcd_path, c.reset_seed), in(c.in, c.in + c.n_in), out(c.out, c.out + c.n_out) {}
};

#define NPUSIM_NAME(port) #port,
const char* const kInNames[] = {NPUSIM_IN_PORTS(NPUSIM_NAME)};
const char* const kOutNames[] = {NPUSIM_OUT_PORTS(NPUSIM_NAME)};
#undef NPUSIM_NAME

// The host's list must name the same ports in the same order, each filling exactly the Verilated member.
bool check(const char* const* names, int n_names, const NpusimPort* ports, int n, const int* bits, char* err) {
  if (n != n_names) {
    std::snprintf(err, 256, "port list has %d ports, the plugin %d", n, n_names);
    return false;
  }
  for (int k = 0; k < n; ++k) {
    const int want = ports[k].width * ports[k].lanes;
    if (std::strcmp(names[k], ports[k].name) != 0 || npusim_shim::verilated_bits(want) != bits[k]) {
      std::snprintf(err, 256, "port %d: host %s (%d bits), plugin %s (%d-bit member)", k, ports[k].name, want,
                    names[k], bits[k]);
      return false;
    }
  }
  return true;
}

}  // namespace

#define NPUSIM_EXPORT __attribute__((visibility("default")))

extern "C" {

NPUSIM_EXPORT int npusim_block_abi() { return NPUSIM_PLUGIN_ABI; }

NPUSIM_EXPORT void* npusim_block_create(NpusimPluginConfig* cfg) {
  auto* p = new Plugin(*cfg);
  const Top& t = *p->inst.top;
#define NPUSIM_BITS(port) npusim_shim::port_bits(t.port),
  const int in_bits[] = {NPUSIM_IN_PORTS(NPUSIM_BITS)};
  const int out_bits[] = {NPUSIM_OUT_PORTS(NPUSIM_BITS)};
#undef NPUSIM_BITS
  const int n_in = static_cast<int>(sizeof kInNames / sizeof *kInNames);
  const int n_out = static_cast<int>(sizeof kOutNames / sizeof *kOutNames);
  if (!check(kInNames, n_in, cfg->in, cfg->n_in, in_bits, cfg->error) ||
      !check(kOutNames, n_out, cfg->out, cfg->n_out, out_bits, cfg->error)) {
    delete p;
    return nullptr;
  }
  return p;
}

NPUSIM_EXPORT void npusim_block_step(void* handle, const uint32_t* in, uint32_t* out) {
  auto* p = static_cast<Plugin*>(handle);
  p->inst.edge([p, in](Top& t) {
    const uint32_t* v = in;
    const NpusimPort* port = p->in.data();
#define NPUSIM_PUT(name)                                        \
  npusim_shim::put_port(t.name, port->width, port->lanes, v); \
  v += port->lanes;                                           \
  ++port;
    NPUSIM_IN_PORTS(NPUSIM_PUT)
#undef NPUSIM_PUT
  });
  const Top& t = *p->inst.top;
  const NpusimPort* port = p->out.data();
#define NPUSIM_GET(name)                                          \
  npusim_shim::get_port(t.name, port->width, port->lanes, out); \
  out += port->lanes;                                           \
  ++port;
  NPUSIM_OUT_PORTS(NPUSIM_GET)
#undef NPUSIM_GET
}

NPUSIM_EXPORT void npusim_block_destroy(void* handle) { delete static_cast<Plugin*>(handle); }
}
