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
