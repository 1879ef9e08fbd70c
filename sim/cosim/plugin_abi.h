#pragma once
// C ABI between npusim and any Verilated block plugin (sim/cosim/plugin_shim.cpp). The pins cross it as
// one uint32 per lane, port after port in the order of the block's port list (sim/cosim/port_list.h);
// the shim checks at create time that the host's port names, widths and lanes fit the Verilated top.
#include <stdint.h>

extern "C" {

#define NPUSIM_PLUGIN_ABI 5

struct NpusimPort {
  const char* name;
  int32_t width, lanes;
};

struct NpusimPluginConfig {
  const char* vcd_path;  // "" or null: no trace of the RTL's internals
  // Power-up value of every register and memory (Verilator --x-initial unique): 0 = all zeros,
  // otherwise random from this seed, so a register the reset misses shows up as a divergence.
  uint32_t reset_seed;
  int32_t n_in, n_out;
  const NpusimPort* in;
  const NpusimPort* out;
  // Handed to the plugin's DPI-C implementations (sim/cosim/dpi_context.h) while this instance is created
  // or stepped; owned by the host, null for a block without DPI imports.
  void* dpi_context;
  char error[256];  // written by create when it returns null
};

// Exported by every plugin:
//   int npusim_block_abi(); void* npusim_block_create(NpusimPluginConfig* cfg);
//   void npusim_block_step(void* handle, const uint32_t* in, uint32_t* out);
//   void npusim_block_destroy(void* handle);
}
