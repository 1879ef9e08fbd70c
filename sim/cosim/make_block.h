#pragma once
// One block of an accelerator on the chosen backend: its C++ core, its Verilated RTL, or both in
// lockstep, all behind the block's model interface (descriptor `Block`, see rtl_block.h).
#include <memory>
#include <string>

#include "sim/cosim/lockstep.h"
#include "sim/family/backend.h"

namespace npusim::cosim {

// `vcd_path` ("" = none): the RTL's internals (rtl), or both sides' ports plus `.rtl.vcd` (lockstep).
template <class Block>
std::unique_ptr<typename Block::If> make_block(Backend backend, const typename Block::Shape& shape,
                                               const std::string& vcd_path = "") {
  switch (backend) {
    case Backend::Rtl:
      return std::make_unique<RtlBlock<Block>>(shape, typename Block::Fault{}, vcd_path);
    case Backend::Lockstep:
      return std::make_unique<Lockstep<Block>>(shape, typename Block::Fault{}, vcd_path);
    case Backend::Model:
      break;
  }
  return std::make_unique<typename Block::Core>(shape);
}

// Edges compared so far if `block` is a lockstep of `Block`, else 0.
template <class Block>
uint64_t cycles_compared(const typename Block::If* block) {
  const auto* ls = dynamic_cast<const Lockstep<Block>*>(block);
  return ls ? ls->cycles_compared() : 0;
}

}  // namespace npusim::cosim
