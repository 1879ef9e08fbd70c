#pragma once
// Any RTL block behind its model interface, configured by a block descriptor `Block` that the family
// writes next to the block (e.g. models/<family>/<block>_block.h):
//   types       from BlockTypes below; a block whose If has more virtuals than shape/step/outputs
//               declares its own template <class H> LockstepFace (If, plus forwards of those virtuals to
//               static_cast<const H*>(this)->model())
//   top         Verilog top module; sources(): Verilog files relative to the repository, or, for RTL
//               generated from the shape, sources(shape): absolute paths of the generated files
//   params(s)   -G overrides; throws std::invalid_argument for a shape the RTL does not support
//   faults()    {variant token, Fault, `define} of each deliberate-fault variant
//   grammar, parse_shape(tokens, &s)   the variant grammar of the prebuild tool (faults stripped)
//   inputs(s), outputs(s)   the port lists (sim/cosim/port_list.h)
//   locate(core, port, lane)   which part of the block drives an output lane, for divergence reports
// Optional, for RTL with DPI-C imports:
//   dpi_sources()           C++ files implementing them (relative to the repository), built into the plugin
//   make_dpi_context(s)     a std::shared_ptr<void> the RTL adapter keeps alive and hands to those
//                           implementations through sim/cosim/dpi_context.h, one per RTL instance
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/cosim/port_list.h"
#include "sim/cosim/rtl_instance.h"

namespace npusim::cosim {

// Base of a block descriptor: the block's pin structs, model interface, C++ cycle core and fault enum
// (value 0 = the production RTL).
template <class ShapeT, class InputsT, class OutputsT, class IfT, class CoreT, class FaultT>
struct BlockTypes {
  using Shape = ShapeT;
  using Inputs = InputsT;
  using Outputs = OutputsT;
  using If = IfT;
  using Core = CoreT;
  using Fault = FaultT;
  template <class H>
  using LockstepFace = IfT;
};

template <class Fault>
struct FaultDef {
  const char* token;   // in a prebuild variant, e.g. "acc_clear"
  Fault fault;
  const char* define;  // e.g. "NPUSIM_FAULT_ACC_CLEAR"
};

// The repository root the RTL sources and the plugin shim are read from.
std::string rtl_source_root();
// Plugin shim, its port-list defines and cache-key headers, for a block with these ports.
void add_plugin_shim(RtlBuildSpec& spec, const std::vector<Port>& inputs, const std::vector<Port>& outputs);
// "4x4:os:acc_clear" -> {"4x4", "os", "acc_clear"}.
std::vector<std::string> split_variant(const std::string& variant);

// Whether the descriptor generates its RTL per shape (static sources(shape)).
template <class Block, class = void>
struct HasShapeSources : std::false_type {};
template <class Block>
struct HasShapeSources<Block,
                       std::void_t<decltype(Block::sources(std::declval<const typename Block::Shape&>()))>>
    : std::true_type {};

// Whether the descriptor's RTL has DPI-C imports implemented in C++ (static dpi_sources()).
template <class Block, class = void>
struct HasDpiSources : std::false_type {};
template <class Block>
struct HasDpiSources<Block, std::void_t<decltype(Block::dpi_sources())>> : std::true_type {};

// Whether the descriptor gives each RTL instance a DPI context (static make_dpi_context(shape)).
template <class Block, class = void>
struct HasDpiContext : std::false_type {};
template <class Block>
struct HasDpiContext<Block, std::void_t<decltype(Block::make_dpi_context(
                                std::declval<const typename Block::Shape&>()))>> : std::true_type {};

// The DPI context of one new RTL instance of the block: the descriptor's, or null.
template <class Block>
std::shared_ptr<void> make_dpi_context(const typename Block::Shape& shape) {
  if constexpr (HasDpiContext<Block>::value)
    return Block::make_dpi_context(shape);
  else
    return nullptr;
}

template <class Block>
RtlBuildSpec rtl_block_spec(const typename Block::Shape& shape, typename Block::Fault fault = {},
                            bool trace = false) {
  RtlBuildSpec spec;
  spec.top = Block::top;
  spec.params = Block::params(shape);  // first: rejects the shape before anything is verilated
  if constexpr (HasShapeSources<Block>::value)
    spec.sources = Block::sources(shape);
  else
    for (const std::string& s : Block::sources()) spec.sources.push_back(rtl_source_root() + "/" + s);
  for (const auto& f : Block::faults())
    if (f.fault == fault) spec.defines.push_back(f.define);
  add_plugin_shim(spec, Block::inputs(shape).ports(), Block::outputs(shape).ports());
  if constexpr (HasDpiSources<Block>::value)
    for (const std::string& s : Block::dpi_sources()) spec.dpi_sources.push_back(rtl_source_root() + "/" + s);
  spec.trace = trace;
  return spec;
}

// A prebuild variant: shape tokens in the block's grammar, plus at most one fault token.
template <class Block>
bool parse_variant(const std::string& variant, typename Block::Shape* shape, typename Block::Fault* fault) {
  std::vector<std::string> rest;
  for (const std::string& tok : split_variant(variant)) {
    bool is_fault = false;
    for (const auto& f : Block::faults())
      if (tok == f.token) *fault = f.fault, is_fault = true;
    if (!is_fault) rest.push_back(tok);
  }
  return Block::parse_shape(rest, shape);
}

template <class Block>
class RtlBlock final : public Block::If {
 public:
  using Shape = typename Block::Shape;
  using Inputs = typename Block::Inputs;
  using Outputs = typename Block::Outputs;

  // `vcd_path` non-empty: dump the RTL's internal signals there (builds a traced variant).
  explicit RtlBlock(const Shape& shape, typename Block::Fault fault = {}, const std::string& vcd_path = "",
                    const std::string& cache_dir = "", uint32_t reset_seed = rtl_reset_seed())
      : shape_(shape),
        out_(shape),
        in_ports_(Block::inputs(shape)),
        out_ports_(Block::outputs(shape)),
        dpi_context_(make_dpi_context<Block>(shape)),
        rtl_(rtl_block_spec<Block>(shape, fault, !vcd_path.empty()), in_ports_.ports(), out_ports_.ports(),
             vcd_path, cache_dir, reset_seed, dpi_context_.get()),
        in_buf_(in_ports_.total_lanes()),
        out_buf_(out_ports_.total_lanes()) {}

  const Shape& shape() const override { return shape_; }
  void step(const Inputs& in) override {
    in_ports_.check_sizes(in, Block::top);
    in_ports_.pack(in, in_buf_.data());
    rtl_.step(in_buf_.data(), out_buf_.data());
    out_ports_.unpack(out_buf_.data(), out_);
  }
  const Outputs& outputs() const override { return out_; }
  const std::string& plugin_path() const { return rtl_.path(); }
  uint32_t reset_seed() const { return rtl_.reset_seed(); }

 private:
  Shape shape_;
  Outputs out_;
  PortList<Inputs> in_ports_;
  PortList<Outputs> out_ports_;
  std::shared_ptr<void> dpi_context_;  // before rtl_: outlives the instance that uses it
  RtlInstance rtl_;
  std::vector<uint32_t> in_buf_, out_buf_;
};

}  // namespace npusim::cosim
