// build_fixed_net: stages, fusion and the errors that name the layer.
#include <catch2/catch.hpp>

#include "models/fixynn/fixed_net_builder.h"
#include "models/fixynn/fixed_pipeline_core.h"
#include "sim/common/error.h"
#include "tests/unit/fixynn/fixynn_test_nets.h"

using namespace npusim;
using namespace npusim::fixynn;
using namespace npusim::fixynn::test;
using Catch::Matchers::Contains;

namespace {

FixedNet build(const TestChain& c, int p = 0) {
  return build_fixed_net(c.layer_ptrs(), c.op_ptrs(), p);
}

}  // namespace

TEST_CASE("builder: one stage per conv, depthwise + pointwise fused", "[fixynn]") {
  Rng rng(1, "builder");
  TestChain c;
  c.add(make_layer("c1", OpType::Conv, 9, 7, 3, 4, 3, 3, 1, Pad::Same), rng);
  c.add(make_layer("dw", OpType::DwConv, 9, 7, 4, 4, 3, 3, 2, Pad::Same, 1, true), rng);
  c.add(make_layer("pw", OpType::Conv, 5, 4, 4, 6, 1, 1, 1, Pad::Valid), rng);
  c.add(make_layer("c2", OpType::Conv, 5, 4, 6, 2, 1, 1, 1, Pad::Valid), rng);
  const FixedNet net = build(c);
  REQUIRE(net.stages.size() == 3);
  CHECK(net.stages[0].name == "c1");
  CHECK(net.stages[1].name == "dw+pw");
  CHECK(net.stages[1].fused);
  CHECK(net.stages[1].layers == std::vector<std::string>{"dw", "pw"});
  CHECK(net.stages[1].first.depthwise);
  CHECK(net.stages[1].out_channels() == 6);
  CHECK(net.stages[1].OH == 5);
  CHECK(net.stages[1].OW == 4);
  CHECK(net.stages[2].name == "c2");
  CHECK_FALSE(net.stages[2].fused);
  CHECK(net.stages[0].first.multiplier == c.ops[0]->requant.multiplier);
}

TEST_CASE("builder: a strided or padded 1x1 after a depthwise is a stage of its own", "[fixynn]") {
  Rng rng(2, "builder");
  TestChain c;
  c.add(make_layer("dw", OpType::DwConv, 8, 8, 3, 3, 3, 3, 1, Pad::Valid, 1, true), rng);
  c.add(make_layer("pw2", OpType::Conv, 6, 6, 3, 5, 1, 1, 2, Pad::Valid), rng);
  const FixedNet net = build(c);
  REQUIRE(net.stages.size() == 2);
  CHECK_FALSE(net.stages[0].fused);
}

TEST_CASE("builder: per-tensor requantization is expanded per channel", "[fixynn]") {
  Rng rng(3, "builder");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 4, 4, 2, 3, 3, 3, 1, Pad::Same), rng);
  c.ops[0]->requant.multiplier = {1 << 30};
  c.ops[0]->requant.shift = {-7};
  const FixedNet net = build(c);
  CHECK(net.stages[0].first.multiplier == std::vector<int32_t>(3, 1 << 30));
  CHECK(net.stages[0].first.shift == std::vector<int>(3, -7));
}

TEST_CASE("builder: layers that can't be fixed name the layer", "[fixynn]") {
  Rng rng(4, "builder");
  TestChain c;
  c.add(make_layer("c1", OpType::Conv, 6, 6, 2, 4, 3, 3, 1, Pad::Same), rng);
  c.add(make_layer("c2", OpType::Conv, 6, 6, 4, 4, 3, 3, 1, Pad::Same), rng);
  SECTION("pool, fc, add, lstm") {
    for (OpType op : {OpType::MaxPool, OpType::AvgPool, OpType::Fc, OpType::Add, OpType::Lstm}) {
      c.layers[1]->op = op;
      c.layers[1]->source = "net.csv:3";
      REQUIRE_THROWS_AS(build(c), InputError);
      REQUIRE_THROWS_WITH(build(c), Contains("net.csv:3: layer 'c2'") && Contains(to_string(op)) &&
                                        Contains("only conv and dwconv"));
    }
  }
  SECTION("batch") {
    c.layers[1]->batch = 2;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2'") && Contains("batch 2"));
  }
  SECTION("shape of the previous output") {
    c.layers[1]->C = 3;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2' reads 6x6x3") && Contains("'c1' writes 6x6x4"));
  }
  SECTION("reads another layer") {
    c.layers[1]->inputs = {"elsewhere"};
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2' does not read the previous layer 'c1'"));
  }
  SECTION("grouped conv") {
    c.layers[1]->groups = 2;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2'") && Contains("groups 2"));
  }
  SECTION("depthwise channel multiplier") {
    c.layers[1]->op = OpType::DwConv;
    c.layers[1]->groups = 4;
    c.layers[1]->K = 8;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2'") && Contains("channel multiplier"));
  }
  SECTION("weights of the wrong shape") {
    c.ops[1]->weights = TensorI8({4, 3, 3, 2});
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c2'") && Contains("OHWI"));
  }
}

TEST_CASE("builder: no operand values gives a shape-only net", "[fixynn]") {
  Rng rng(5, "builder");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 5, 5, 2, 3, 3, 3, 1, Pad::Same), rng);
  c.ops[0]->values = false;
  c.ops[0]->weights = TensorI8();
  const FixedNet net = build(c);
  CHECK(net.stages[0].first.weights.size() == 3 * 3 * 3 * 2);
}

TEST_CASE("core: adder pipeline > 0 is not implemented yet", "[fixynn]") {
  Rng rng(6, "builder");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 5, 5, 2, 3, 3, 3, 1, Pad::Same), rng);
  const FixedNet net = build(c, 1);
  CHECK(net.adder_pipeline == 1);
  REQUIRE_THROWS_WITH(FixedPipelineCore(net), Contains("adder_pipeline 1"));
}

TEST_CASE("builder: zero point and accumulator range", "[fixynn]") {
  Rng rng(7, "builder");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 5, 5, 2, 3, 3, 3, 1, Pad::Same), rng);
  SECTION("input zero point") {
    c.ops[0]->input_zero_point = 200;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c'") && Contains("input zero point 200"));
  }
  SECTION("accumulator") {
    c.ops[0]->bias[1] = INT32_MAX - 100;
    REQUIRE_THROWS_WITH(build(c), Contains("layer 'c'") && Contains("channel 1's int32 accumulator"));
  }
}

TEST_CASE("builder: single-rounding requantization is carried into the stage", "[fixynn]") {
  Rng rng(4, "builder");
  TestChain c;
  c.add(make_layer("c", OpType::Conv, 4, 4, 2, 3, 3, 3, 1, Pad::Same), rng);
  c.ops[0]->requant.rounding = quant::Rounding::Single;
  CHECK(build(c).stages[0].first.single_rounding);
  c.ops[0]->requant.rounding = quant::Rounding::Double;
  CHECK_FALSE(build(c).stages[0].first.single_rounding);
}
