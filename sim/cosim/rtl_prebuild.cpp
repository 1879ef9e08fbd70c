#include "sim/cosim/rtl_prebuild.h"

#include <iostream>
#include <stdexcept>

namespace npusim::cosim {

namespace {
int usage(const std::vector<PrebuildBlock>& blocks) {
  std::cerr << "usage: npusim_rtl_prebuild BLOCK DIR VARIANT...\n";
  for (const auto& b : blocks) std::cerr << "  " << b.name << " " << b.grammar << "\n";
  return 2;
}
}  // namespace

int rtl_prebuild_main(int argc, char** argv, const std::vector<PrebuildBlock>& blocks) {
  if (argc < 4) return usage(blocks);
  const std::string name = argv[1], dir = argv[2];
  const PrebuildBlock* block = nullptr;
  for (const auto& b : blocks)
    if (b.name == name) block = &b;
  if (!block) {
    std::cerr << "npusim_rtl_prebuild: unknown block '" << name << "'\n";
    return usage(blocks);
  }
  try {
    for (int i = 3; i < argc; ++i) std::cout << name << " " << argv[i] << " -> " << block->build(argv[i], dir) << "\n";
  } catch (const std::invalid_argument& e) {
    std::cerr << "npusim_rtl_prebuild: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "npusim_rtl_prebuild: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace npusim::cosim
