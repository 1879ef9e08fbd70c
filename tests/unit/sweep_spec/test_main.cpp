// Catch's runner behind sc_main: the families' models link SystemC.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

int sc_main(int argc, char* argv[]) {
  return Catch::Session().run(argc, argv);
}
