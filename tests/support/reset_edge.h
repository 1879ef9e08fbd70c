#pragma once
// The RTL's power-up values are random in lockstep (sim/cosim/rtl_instance.h) and the outputs before the
// first reset are undefined, so a directed or random run starts with one idle reset edge.
namespace npusim::test {

template <class Block, class Inputs>
void reset_edge(Block& block, Inputs& in) {
  in.clear();
  in.rst = true;
  block.step(in);
  in.rst = false;
}

}  // namespace npusim::test

#include <optional>

#include "sim/cosim/divergence.h"

namespace npusim::test {

// Runs `lockstep` from a reset edge on up to `edges` random inputs (`next(in)` fills them); returns the
// divergence the harness threw, or nothing when the two sides agreed throughout.
template <class Lockstep, class Inputs, class Next>
std::optional<cosim::Divergence> first_divergence(Lockstep& lockstep, Inputs& in, int edges, Next next) {
  reset_edge(lockstep, in);
  try {
    for (int c = 0; c < edges; ++c) {
      next(in);
      lockstep.step(in);
    }
  } catch (const cosim::DivergenceError& e) {
    return e.divergence;
  }
  return std::nullopt;
}

}  // namespace npusim::test
