// The one plugin shim, compiled together with any Verilated top (never part of the npusim binary).
// The build passes the block's port names, from its port list, as two X-macros:
//   NPUSIM_IN_PORTS(X) = X(rst) X(in_valid) ...   NPUSIM_OUT_PORTS(X) = X(out_valid) ...
// (the top's clock is `clk`). Each step puts one uint32 per lane on the inputs, clocks one edge and
// reads the outputs back the same way (sim/cosim/plugin_abi.h).
#include <cstdio>
#include <cstring>
#include <vector>

#include "sim/cosim/dpi_context.h"
#include "sim/cosim/plugin_abi.h"
#include "sim/cosim/verilated_shim.h"
#include NPUSIM_TOP_HEADER

#if !defined(NPUSIM_IN_PORTS) || !defined(NPUSIM_OUT_PORTS)
#error "the plugin build must define NPUSIM_IN_PORTS(X) and NPUSIM_OUT_PORTS(X)"
#endif

namespace {

using Top = NPUSIM_TOP_CLASS;

#define NPUSIM_NAME(port) #port,
const char* const kInNames[] = {NPUSIM_IN_PORTS(NPUSIM_NAME)};
const char* const kOutNames[] = {NPUSIM_OUT_PORTS(NPUSIM_NAME)};
#undef NPUSIM_NAME
constexpr int kIn = static_cast<int>(sizeof kInNames / sizeof *kInNames);
constexpr int kOut = static_cast<int>(sizeof kOutNames / sizeof *kOutNames);

// f(member, k) for the k-th input (output) port of the Verilated top.
template <class T, class F>
void each_input(T& t, F f) {
  int k = 0;
#define NPUSIM_VISIT(port) f(t.port, k++);
  NPUSIM_IN_PORTS(NPUSIM_VISIT)
}
template <class T, class F>
void each_output(T& t, F f) {
  int k = 0;
  NPUSIM_OUT_PORTS(NPUSIM_VISIT)
#undef NPUSIM_VISIT
}

// First lane of each port in a step buffer.
std::vector<int> offsets(const std::vector<NpusimPort>& ports) {
  std::vector<int> at;
  int lane = 0;
  for (const NpusimPort& p : ports) {
    at.push_back(lane);
    lane += p.lanes;
  }
  return at;
}

// The DPI context of the instance being created, stepped or destroyed (npusim_dpi_context()).
thread_local void* t_dpi_context = nullptr;

// Sets the DPI context for one call into the Verilated model; restores the outer one after.
class DpiScope {
 public:
  explicit DpiScope(void* ctx) : saved_(t_dpi_context) { t_dpi_context = ctx; }
  ~DpiScope() { t_dpi_context = saved_; }
  DpiScope(const DpiScope&) = delete;
  DpiScope& operator=(const DpiScope&) = delete;

 private:
  void* saved_;
};

struct Plugin {
  void* dpi_context;
  npusim_shim::Instance<Top> inst;
  std::vector<NpusimPort> in, out;
  std::vector<int> in_at, out_at;
  explicit Plugin(const NpusimPluginConfig& c)
      : dpi_context(c.dpi_context),
        inst(c.vcd_path, c.reset_seed),
        in(c.in, c.in + c.n_in),
        out(c.out, c.out + c.n_out),
        in_at(offsets(in)),
        out_at(offsets(out)) {}
};

// Destroys a plugin with its DPI context set (the model's final blocks may call a DPI import).
void destroy(Plugin* p) {
  DpiScope scope(p->dpi_context);
  delete p;
}

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

// Not exported: each plugin answers for its own instances (sim/cosim/dpi_context.h).
void* npusim_dpi_context() { return t_dpi_context; }

NPUSIM_EXPORT int npusim_block_abi() { return NPUSIM_PLUGIN_ABI; }

NPUSIM_EXPORT void* npusim_block_create(NpusimPluginConfig* cfg) {
  DpiScope scope(cfg->dpi_context);  // the model's constructor and first eval may call a DPI import
  auto* p = new Plugin(*cfg);
  int in_bits[kIn], out_bits[kOut];
  each_input(*p->inst.top, [&](const auto& port, int k) { in_bits[k] = npusim_shim::port_bits(port); });
  each_output(*p->inst.top, [&](const auto& port, int k) { out_bits[k] = npusim_shim::port_bits(port); });
  if (!check(kInNames, kIn, cfg->in, cfg->n_in, in_bits, cfg->error) ||
      !check(kOutNames, kOut, cfg->out, cfg->n_out, out_bits, cfg->error)) {
    destroy(p);
    return nullptr;
  }
  return p;
}

NPUSIM_EXPORT void npusim_block_step(void* handle, const uint32_t* in, uint32_t* out) {
  auto* p = static_cast<Plugin*>(handle);
  DpiScope scope(p->dpi_context);
  p->inst.edge([p, in](Top& t) {
    each_input(t, [p, in](auto& port, int k) {
      npusim_shim::put_port(port, p->in[k].width, p->in[k].lanes, in + p->in_at[k]);
    });
  });
  each_output(*p->inst.top, [p, out](const auto& port, int k) {
    npusim_shim::get_port(port, p->out[k].width, p->out[k].lanes, out + p->out_at[k]);
  });
}

NPUSIM_EXPORT void npusim_block_destroy(void* handle) { destroy(static_cast<Plugin*>(handle)); }
}
