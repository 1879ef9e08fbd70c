// npusim command line (DESIGN.md §4). Exit codes: 0 ok, 1 verification failure or model/RTL
// mismatch, 2 bad input.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <systemc>

#include "sim/app/commands.h"
#include "sim/common/error.h"

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  try {
    return npusim::app::main(argc, argv);
  } catch (const npusim::InputError& e) {
    std::cerr << "npusim: error: " << e.what() << "\n";
    return 2;
  } catch (const npusim::VerificationError& e) {
    std::cerr << "npusim: verification failed: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "npusim: internal error: " << e.what() << "\n";
    return 3;
  }
}
