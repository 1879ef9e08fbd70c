#pragma once
// The build-time prebuild tool: verilates and compiles plugin variants of the blocks a family lists,
// into a cache directory the test suite searches first.
//   npusim_rtl_prebuild BLOCK DIR VARIANT...
#include <functional>
#include <string>
#include <vector>

#include "sim/cosim/rtl_block.h"

namespace npusim::cosim {

struct PrebuildBlock {
  std::string name, grammar;
  // Builds (or finds) one variant in `dir` and returns the plugin's path; throws std::invalid_argument
  // for a variant outside the grammar.
  std::function<std::string(const std::string& variant, const std::string& dir)> build;
};

template <class Block>
PrebuildBlock prebuild_block() {
  return {Block::top, Block::grammar, [](const std::string& variant, const std::string& dir) {
            typename Block::Shape shape;
            typename Block::Fault fault{};
            if (!parse_variant<Block>(variant, &shape, &fault))
              throw std::invalid_argument("bad " + std::string(Block::top) + " variant '" + variant + "'");
            return load_rtl_plugin(rtl_block_spec<Block>(shape, fault), dir)->path();
          }};
}

// The tool's main over `blocks`; returns the exit status.
int rtl_prebuild_main(int argc, char** argv, const std::vector<PrebuildBlock>& blocks);

}  // namespace npusim::cosim
