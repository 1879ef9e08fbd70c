#pragma once
// For DPI-C implementations compiled into an RTL plugin (RtlBuildSpec::dpi_sources): the host's context
// of the RTL instance being created, stepped or destroyed (NpusimPluginConfig::dpi_context), so each
// instance of one plugin reaches its own host-side state. Null outside those calls or if the host gave
// none. Implemented by the plugin shim (sim/cosim/plugin_shim.cpp), per thread.
#ifdef __cplusplus
extern "C" {
#endif

void* npusim_dpi_context(void);

#ifdef __cplusplus
}
#endif
