// npusim command line (DESIGN.md §4). Exit codes: 0 ok, 1 verification failure or model/RTL
// mismatch, 2 bad input, 3 internal error (a bug).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <new>

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
  } catch (const std::bad_alloc&) {
    // A resource limit, not a bug: the layer's tensors or buffers do not fit in this machine's memory.
    const bool fast =
        std::any_of(argv + 1, argv + argc, [](const char* a) { return std::strcmp(a, "--fast") == 0; });
    std::cerr << "npusim: error: out of memory (a tensor or buffer too large for this machine"
              << (fast ? ")\n" : "; try --fast)\n");
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "npusim: internal error: " << e.what() << "\n";
    return 3;
  }
}

// SystemC 2.3.4's sc_elab_and_sim prints its copyright banner before calling sc_main unless this
// variable is set, so npusim has its own main (it replaces libsystemc's) and sets it first.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
