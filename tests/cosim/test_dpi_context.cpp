// The generic DPI-C plumbing of sim/cosim on a toy block (tests/cosim/dpi_toy): the descriptor's
// dpi_sources() are compiled into the plugin, make_dpi_context(shape) gives each RTL instance its own
// context, which the DPI code reads through npusim_dpi_context() while that instance is stepped. Two
// instances of one plugin, stepped in turn, each see their own.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/cosim/lockstep.h"

using namespace npusim;

namespace {

struct ToyShape {
  int offset = 0;  // what this instance's DPI context holds
};
struct ToyInputs {
  bool rst = false, in_valid = false;
  uint16_t x = 0;
  explicit ToyInputs(const ToyShape& = {}) {}
  void clear() { rst = in_valid = false, x = 0; }
};
struct ToyOutputs {
  int32_t y = 0;
  explicit ToyOutputs(const ToyShape& = {}) {}
};
class ToyIf {
 public:
  virtual ~ToyIf() = default;
  virtual const ToyShape& shape() const = 0;
  virtual void step(const ToyInputs& in) = 0;
  virtual const ToyOutputs& outputs() const = 0;
};
class ToyCore final : public ToyIf {
 public:
  explicit ToyCore(const ToyShape& s) : shape_(s) {}
  const ToyShape& shape() const override { return shape_; }
  void step(const ToyInputs& in) override {
    if (in.rst)
      out_.y = 0;
    else if (in.in_valid)
      out_.y = in.x + shape_.offset;
  }
  const ToyOutputs& outputs() const override { return out_; }

 private:
  ToyShape shape_;
  ToyOutputs out_;
};
enum class ToyFault { None };

struct ToyBlock : cosim::BlockTypes<ToyShape, ToyInputs, ToyOutputs, ToyIf, ToyCore, ToyFault> {
  static constexpr const char* top = "dpi_toy";
  static constexpr const char* grammar = "(test only)";
  static std::vector<std::string> sources() { return {"tests/cosim/dpi_toy/dpi_toy.v"}; }
  static std::vector<std::string> dpi_sources() { return {"tests/cosim/dpi_toy/dpi_toy.cpp"}; }
  static std::shared_ptr<void> make_dpi_context(const Shape& s) { return std::make_shared<int>(s.offset); }
  static std::map<std::string, std::string> params(const Shape&) { return {}; }
  static const std::vector<cosim::FaultDef<Fault>>& faults() {
    static const std::vector<cosim::FaultDef<Fault>> f;
    return f;
  }
  static bool parse_shape(const std::vector<std::string>&, Shape*) { return false; }
  static cosim::PortList<Inputs> inputs(const Shape&) {
    cosim::PortList<Inputs> p;
    p.scalar("rst", 1, &ToyInputs::rst)
        .scalar("in_valid", 1, &ToyInputs::in_valid)
        .scalar("x", 16, &ToyInputs::x);
    return p;
  }
  static cosim::PortList<Outputs> outputs(const Shape&) {
    cosim::PortList<Outputs> p;
    p.scalar("y", 32, &ToyOutputs::y);
    return p;
  }
  static std::string locate(const Core&, const std::string&, int) { return "dpi_toy"; }
};

}  // namespace

TEST_CASE("DPI context: each RTL instance of one plugin reads its own host context") {
  cosim::Lockstep<ToyBlock> a(ToyShape{1000}), b(ToyShape{-7});
  cosim::RtlBlock<ToyBlock> c(ToyShape{123456});
  CHECK(a.reset_seed() == b.reset_seed());
  ToyInputs in;
  in.rst = true;
  a.step(in), b.step(in), c.step(in);
  in.rst = false;
  in.in_valid = true;
  for (uint16_t x = 0; x < 50; ++x) {
    in.x = x;
    a.step(in);  // a DivergenceError if an instance read another's context
    b.step(in);
    c.step(in);
    CHECK(c.outputs().y == x + 123456);
  }
  CHECK(a.outputs().y == 49 + 1000);
  CHECK(b.outputs().y == 49 - 7);
}
