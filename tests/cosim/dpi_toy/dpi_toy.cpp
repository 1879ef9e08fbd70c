// DPI-C import of tests/cosim/dpi_toy/dpi_toy.v: x plus the int of the instance's host context.
#include "sim/cosim/dpi_context.h"

extern "C" int dpi_toy_read(int x) {
  const int* offset = static_cast<const int*>(npusim_dpi_context());
  return offset ? x + *offset : -1;
}
