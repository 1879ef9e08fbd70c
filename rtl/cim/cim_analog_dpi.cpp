// DPI-C imports of rtl/cim (cim_pwm_dac.v, cim_adc_readout.v), compiled into the cim_engine plugin: they
// forward to the analog kernel session of the RTL instance being stepped, reached through the DPI
// context the host gave that instance (an NpusimCimDpi, models/cim/cim_dpi_abi.h). Without one (a
// plugin driven by something else) levels are dropped and codes read 0.
#include "models/cim/cim_dpi_abi.h"
#include "sim/cosim/dpi_context.h"

namespace {
const NpusimCimDpi* table() {
  return static_cast<const NpusimCimDpi*>(npusim_dpi_context());
}
}  // namespace

extern "C" void cim_dac_level(int row, int level) {
  if (const NpusimCimDpi* t = table()) t->dac_level(t->session, row, level);
}

extern "C" int cim_adc_code(int pixel, int ch, int split) {
  const NpusimCimDpi* t = table();
  return t ? t->adc_code(t->session, pixel, ch, split) : 0;
}
