// Catch's runner behind sc_main, for tests whose libraries link SystemC (the families' models; the cim
// family once UBSan's vptr checks pull its SystemC hardware object in).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

int sc_main(int argc, char* argv[]) {
  return Catch::Session().run(argc, argv);
}
