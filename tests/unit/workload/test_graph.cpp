// The workload graph: the 'inputs' column, its defaults and errors, chain detection and tensor shapes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/workload/graph.h"
#include "sim/workload/workload_loader.h"
#include "test_util.h"

using namespace npusim;
using npusim::test::check_message;
using npusim::test::find_layer;
using npusim::test::input_error;
using npusim::test::TempDir;
using Names = std::vector<std::string>;
using Shape = std::vector<int64_t>;

namespace {

std::string workload(const std::string& rel) {
  return test::source_dir() + "/workloads/" + rel;
}

int count_op(const Network& n, OpType op) {
  int c = 0;
  for (const Layer& L : n.layers) c += L.op == op;
  return c;
}

const std::string kHeader =
    "name,op,H,W,C,K,R,S,stride_h,stride_w,pad_top,pad_bottom,pad_left,pad_right,inputs\n";

// A small residual block: stem, main path a -> b, 1x1 shortcut, add, global pool, fc.
const std::string kBlock = kHeader +
                           "stem,conv,8,8,3,16,3,3,1,1,1,1,1,1,\n"
                           "a,conv,8,8,16,16,3,3,1,1,1,1,1,1,\n"
                           "b,conv,8,8,16,16,3,3,1,1,1,1,1,1, a \n"
                           "short,conv,8,8,16,16,1,1,1,1,0,0,0,0,stem\n"
                           "sum,add,8,8,16,16,,,,,,,,,b | short\n"
                           "gap,avgpool,8,8,16,16,8,8,1,1,0,0,0,0,\n"
                           "head,fc,,,16,10,,,,,,,,,\n";

Layer conv(int64_t h, int64_t c, int64_t k, int64_t batch = 1) {
  Layer L;
  L.name = "conv";
  L.op = OpType::Conv;
  L.H = L.W = L.out_h = L.out_w = h;
  L.C = c;
  L.K = k;
  L.batch = batch;
  return L;
}

Layer fc(int64_t c, int64_t k, int64_t batch = 1) {
  return gemm_layer("fc", batch, c, k);
}

Layer recurrent(OpType op, int64_t in, int64_t hidden, int64_t seq, int64_t batch = 1) {
  Layer L;
  L.name = op == OpType::Lstm ? "lstm" : "gru";
  L.op = op;
  L.input_size = in;
  L.hidden_size = hidden;
  L.seq_len = seq;
  L.batch = batch;
  return L;
}

}  // namespace

TEST_CASE("inputs column: '|'-separated producers, 'input', and the previous-row default",
          "[workload][graph]") {
  TempDir tmp;
  const std::string p = tmp.write("block.csv", kBlock);
  const Network n = load_workload(p);
  REQUIRE(n.layers.size() == 7);
  CHECK(find_layer(n, "stem").inputs == Names{kNetworkInput});  // first row: the network input
  CHECK(find_layer(n, "a").inputs == Names{"stem"});            // empty cell: the previous row
  CHECK(find_layer(n, "b").inputs == Names{"a"});               // spaces around names are ignored
  CHECK(find_layer(n, "short").inputs == Names{"stem"});
  CHECK(find_layer(n, "sum").inputs == Names{"b", "short"});
  CHECK(find_layer(n, "head").inputs == Names{"gap"});
  CHECK(n.chained);
  CHECK(n.independent_reason.empty());

  // The word 'input' names the network input anywhere, e.g. a second branch off the image.
  const std::string q = tmp.write("two.csv", kHeader +
                                                 "c1,conv,8,8,3,16,3,3,1,1,1,1,1,1,input\n"
                                                 "c2,conv,8,8,3,16,1,1,1,1,0,0,0,0,input\n"
                                                 "s,add,8,8,16,16,,,,,,,,,c1|c2\n"
                                                 "d,add,8,8,16,16,,,,,,,,,s|s\n");
  const Network two = load_workload(q);
  CHECK(two.layers[0].inputs == Names{kNetworkInput});
  CHECK(two.layers[1].inputs == Names{kNetworkInput});
  CHECK(two.layers[3].inputs == Names{"s", "s"});
  CHECK(two.chained);
}

TEST_CASE("no inputs column: every row reads the previous one", "[workload][graph]") {
  TempDir tmp;
  const std::string p = tmp.write("seq.csv",
                                  "name,op,H,W,C,K,R,S,stride_h,stride_w\n"
                                  "c1,conv,8,8,3,4,3,3,1,1\n"
                                  "p1,maxpool,6,6,4,4,2,2,2,2\n"
                                  "f,fc,,,36,10,,,,\n");
  const Network n = load_workload(p);
  CHECK(n.layers[0].inputs == Names{kNetworkInput});
  CHECK(n.layers[1].inputs == Names{"c1"});
  CHECK(n.layers[2].inputs == Names{"p1"});  // fc flattens 3x3x4 = 36
  CHECK(n.chained);
}

TEST_CASE("a table that does not chain loads as independent layers and says why", "[workload][graph]") {
  TempDir tmp;
  const std::string H = "name,op,H,W,C,K,R,S,stride_h,stride_w\n";
  const std::vector<test::MessageCase> cases = {
      {"conv shape",
       H + "x,conv,8,8,3,4,3,3,1,1\ny,conv,8,8,4,4,3,3,1,1\n",
       {"flat.csv:3: layer 'y' reads 8x8x4 but its producer 'x' writes 6x6x4"}},
      {"channels",
       H + "x,conv,8,8,3,4,1,1,1,1\ny,conv,8,8,5,4,1,1,1,1\n",
       {"flat.csv:3:", "reads 8x8x5", "writes 8x8x4"}},
      {"fc flatten",
       H + "x,conv,4,4,3,4,1,1,1,1\nf,fc,,,60,10,,,,\n",
       {"flat.csv:3: layer 'f' reads 60 but its producer 'x' writes 4x4x4"}},
      {"add without producers",
       H + "x,conv,4,4,3,4,1,1,1,1\ns,add,4,4,4,4,,,,\n",
       {"flat.csv:3:", "layer 's' is an add", "no 'inputs' column"}},
      {"batch",
       "name,op,H,W,C,K,R,S,stride_h,stride_w,batch\nx,conv,4,4,3,4,1,1,1,1,2\ny,conv,4,4,4,4,1,1,1,1,\n",
       {"flat.csv:3: layer 'y' reads 4x4x4 but its producer 'x' writes 4x4x4 (batch 2)"}},
      {"recurrent",
       "name,op,input_size,hidden_size,seq_len,batch\nl1,lstm,8,16,5,1\nl2,gru,8,8,5,1\n",
       {"flat.csv:3: layer 'l2' reads 5x8 but its producer 'l1' writes 5x16"}},
  };
  for (const test::MessageCase& c : cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string p = tmp.write("flat.csv", c.text);
      Network n;
      REQUIRE_NOTHROW(n = load_workload(p));
      CHECK_FALSE(n.chained);
      CHECK(n.independent_reason.rfind(p + ":", 0) == 0);
      check_message(n.independent_reason, c.needles);
    }
  }
  // The first break is reported.
  const std::string p =
      tmp.write("two.csv", H + "x,conv,8,8,3,4,3,3,1,1\ny,conv,8,8,4,4,3,3,1,1\nz,conv,9,9,4,4,1,1,1,1\n");
  CHECK_THAT(load_workload(p).independent_reason, Catch::Matchers::Contains("two.csv:3:"));
}

TEST_CASE("inputs column errors name the file, line and column", "[workload][graph]") {
  TempDir tmp;
  const std::string H = "name,op,H,W,C,K,R,S,stride_h,stride_w,inputs\n";
  const std::string c1 = "c1,conv,8,8,3,4,1,1,1,1,\n";
  const std::string c2 = "c2,conv,8,8,4,4,1,1,1,1,\n";
  const std::vector<test::MessageCase> cases = {
      {"unknown layer",
       H + c1 + "c2,conv,8,8,4,4,1,1,1,1,nope\n",
       {"bad.csv:3:", "column 'inputs'", "unknown layer 'nope'"}},
      {"';' is not the separator",
       H + c1 + c2 + "s,add,8,8,4,4,,,,,c1;c2\n",
       {"bad.csv:4:", "column 'inputs'", "'c1;c2'", "'|'"}},
      {"later layer",
       H + "c1,conv,8,8,3,4,1,1,1,1,c2\n" + c2,
       {"bad.csv:2:", "column 'inputs'", "'c2' is defined later (line 3)", "topological order"}},
      {"self reference",
       H + c1 + "c2,conv,8,8,4,4,1,1,1,1,c2\n",
       {"bad.csv:3:", "column 'inputs'", "'c2' reads itself"}},
      {"add with one producer",
       H + c1 + "s,add,8,8,4,4,,,,,c1\n",
       {"bad.csv:3:", "column 'inputs'", "op 'add' takes 2 inputs, got 1: 'c1'"}},
      {"add with three producers",
       H + c1 + c2 + "s,add,8,8,4,4,,,,,c1|c2|c2\n",
       {"bad.csv:4:", "takes 2 inputs", "got 3: 'c1|c2|c2'"}},
      {"add with an empty cell",
       H + c1 + c2 + "s,add,8,8,4,4,,,,,\n",
       {"bad.csv:4:", "column 'inputs'", "op 'add' needs its two producers"}},
      {"conv with two producers",
       H + c1 + "c2,conv,8,8,4,4,1,1,1,1,c1|c1\n",
       {"bad.csv:3:", "op 'conv' takes 1 input, got 2"}},
      {"empty name",
       H + c1 + c2 + "s,add,8,8,4,4,,,,,c1||c2\n",
       {"bad.csv:4:", "column 'inputs'", "empty producer name"}},
      {"trailing separator", H + c1 + "c2,conv,8,8,4,4,1,1,1,1,c1|\n", {"bad.csv:3:", "empty producer name"}},
      {"layer named input", H + "input,conv,8,8,3,4,1,1,1,1,\n", {"bad.csv:2:", "column 'name'", "reserved"}},
      {"shape mismatch",
       H + c1 + "c2,conv,6,6,4,4,1,1,1,1,c1\n",
       {"bad.csv:3:", "column 'inputs'", "layer 'c2' reads 6x6x4 but its producer 'c1' writes 8x8x4"}},
      {"shape mismatch by default",
       H + "c1,conv,8,8,3,4,3,3,1,1,\n" + c2,
       {"bad.csv:3:", "column 'inputs'", "reads 8x8x4 but its producer 'c1' writes 6x6x4"}},
      {"add operand mismatch",
       H + c1 + "p,maxpool,8,8,4,4,2,2,2,2,\ns,add,8,8,4,4,,,,,c1|p\n",
       {"bad.csv:4:", "column 'inputs'", "layer 's' reads 8x8x4 but its producer 'p' writes 4x4x4"}},
      {"network input read as two shapes",
       H + c1 + "c2,conv,8,8,5,4,1,1,1,1,input\n",
       {"bad.csv:3:", "column 'inputs'", "reads the network input as 8x8x5",
        "'c1' (line 2) reads it as 8x8x3"}},
      {"fc flatten",
       H + c1 + "f,fc,,,255,10,,,,,\n",
       {"bad.csv:3:", "column 'inputs'", "reads 255 but its producer 'c1' writes 8x8x4"}},
  };
  for (const test::MessageCase& c : cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string path = tmp.write("bad.csv", c.text);
      const std::string msg = input_error([&] { load_workload(path); });
      CHECK(msg.rfind(path + ":", 0) == 0);
      check_message(msg, c.needles);
    }
  }
}

TEST_CASE("recurrent tables chain through per-step and flattened fc rows", "[workload][graph]") {
  TempDir tmp;
  // lstm 257->80 over 49 steps, fc over all hidden states flattened (C = 49*80), like micro_speech.
  const std::string R = "name,op,input_size,hidden_size,seq_len,batch,inputs\n";
  CHECK(load_workload(tmp.write("a.csv", R + "l,lstm,257,80,49,1,\nf,fc,3920,3,1,1,\n")).chained);
  // fc per time step (batch = batch * seq_len) after two stacked LSTMs, like PTB.
  CHECK(load_workload(
            tmp.write("b.csv", R + "l1,lstm,650,650,35,20,\nl2,lstm,650,650,35,20,\nd,fc,650,10000,35,20,\n"))
            .chained);
  // A per-step fc feeding an LSTM, and a GRU reading an LSTM.
  CHECK(load_workload(tmp.write("c.csv", R + "e,fc,40,16,10,2,\nl,lstm,16,8,10,2,\ng,gru,8,4,10,2,\n"))
            .chained);
  // Sequence length or batch that do not match.
  const std::string msg =
      input_error([&] { load_workload(tmp.write("d.csv", R + "l1,lstm,16,8,10,1,\nl2,gru,8,4,9,1,\n")); });
  check_message(msg, {"d.csv:3:", "column 'inputs'", "reads 9x8 but its producer 'l1' writes 10x8"});
  const std::string msg2 =
      input_error([&] { load_workload(tmp.write("e.csv", R + "l1,lstm,16,8,10,2,\nf,fc,80,3,1,1,\n")); });
  check_message(msg2, {"e.csv:3:", "reads 80 but its producer 'l1' writes 10x8 (batch 2)"});
}

TEST_CASE("producer rules between op kinds", "[workload][graph]") {
  using graph::producer_mismatch;
  CHECK(producer_mismatch(conv(7, 64, 10), conv(7, 3, 64)).empty());
  CHECK_FALSE(producer_mismatch(conv(7, 64, 10), conv(7, 3, 64, 2)).empty());  // batch
  CHECK(producer_mismatch(conv(1, 64, 10), fc(32, 64)).empty());               // fc output is 1x1xK
  CHECK(producer_mismatch(fc(49 * 64, 10), conv(7, 3, 64)).empty());           // flatten
  CHECK_FALSE(producer_mismatch(fc(64, 10), conv(7, 3, 64)).empty());
  CHECK(producer_mismatch(fc(64, 10, 2), conv(1, 3, 64, 2)).empty());

  const Layer lstm = recurrent(OpType::Lstm, 16, 8, 10, 2);
  CHECK(producer_mismatch(fc(80, 3, 2), lstm).empty());       // whole sequence per batch element
  CHECK(producer_mismatch(fc(8, 3, 20), lstm).empty());       // one row per time step
  CHECK_FALSE(producer_mismatch(fc(8, 3, 2), lstm).empty());  // not the last step: all states
  CHECK(producer_mismatch(recurrent(OpType::Gru, 8, 4, 10, 2), lstm).empty());
  CHECK_FALSE(producer_mismatch(recurrent(OpType::Gru, 8, 4, 10, 1), lstm).empty());
  CHECK_FALSE(producer_mismatch(conv(10, 8, 8), lstm).empty());  // no conv over a sequence
  CHECK(producer_mismatch(lstm, fc(5, 16, 20)).empty());         // per-step fc feeding the LSTM
  CHECK(
      producer_mismatch(recurrent(OpType::Lstm, 10, 8, 16, 2), conv(4, 3, 10, 2)).empty());  // 16 steps of 10
  CHECK_FALSE(producer_mismatch(recurrent(OpType::Lstm, 10, 8, 15, 2), conv(4, 3, 10, 2)).empty());
}

TEST_CASE("tensor shapes", "[workload][graph]") {
  using graph::input_shape;
  using graph::output_shape;
  TempDir tmp;
  const Network n = load_workload(tmp.write("block.csv", kBlock));
  CHECK(input_shape(find_layer(n, "stem")) == Shape{8, 8, 3});
  CHECK(output_shape(find_layer(n, "stem")) == Shape{8, 8, 16});
  CHECK(input_shape(find_layer(n, "sum")) == Shape{8, 8, 16});
  CHECK(output_shape(find_layer(n, "gap")) == Shape{1, 1, 16});
  CHECK(input_shape(find_layer(n, "head")) == Shape{1, 16});
  CHECK(output_shape(find_layer(n, "head")) == Shape{1, 10});

  Layer c = conv(7, 3, 64, 4);
  c.out_h = c.out_w = 4;
  CHECK(input_shape(c) == Shape{4, 7, 7, 3});
  CHECK(output_shape(c) == Shape{4, 4, 4, 64});
  CHECK(graph::element_count(output_shape(c)) == 4 * 4 * 4 * 64);
  const Layer l = recurrent(OpType::Gru, 12, 10, 5, 3);
  CHECK(input_shape(l) == Shape{3, 5, 12});
  CHECK(output_shape(l) == Shape{3, 5, 10});

  const Network ptb = load_workload(workload("lstm_ptb_medium.csv"));
  CHECK(output_shape(find_layer(ptb, "lstm2")) == Shape{20, 35, 650});
  CHECK(input_shape(find_layer(ptb, "decoder")) == Shape{700, 650});  // per step: batch 20 x 35 steps
}

TEST_CASE("every shipped network chains, SCALE-Sim files and the unit-test tables do not",
          "[workload][graph]") {
  int networks = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(workload(""))) {
    if (e.path().extension() != ".csv") continue;
    const std::string stem = e.path().stem().string();
    INFO(e.path().string());
    const Network n = load_workload(e.path().string());
    if (stem.rfind("scalesim_", 0) == 0) {
      CHECK_FALSE(n.chained);
      CHECK(n.independent_reason == "SCALE-Sim topology: rows are independent layers");
      for (const Layer& L : n.layers) CHECK(L.inputs.empty());
    } else if (stem.rfind("tiny_", 0) == 0) {
      CHECK_FALSE(n.chained);  // unrelated test layers (their headers say so)
      CHECK_THAT(n.independent_reason, Catch::Matchers::Contains(e.path().filename().string() + ":"));
    } else {
      INFO(n.independent_reason);
      CHECK(n.chained);
      CHECK(n.independent_reason.empty());
      CHECK(n.layers.front().inputs == Names{kNetworkInput});
      ++networks;
    }
  }
  CHECK(networks >= 16);

  const Network tiny = load_workload(workload("test/tiny_conv.csv"));
  CHECK_THAT(tiny.independent_reason,
             Catch::Matchers::EndsWith("tiny_conv.csv:5: layer 'conv_g2_dil2' reads 8x6x8 but its producer "
                                       "'conv_s2_same' writes 4x4x8"));
}

TEST_CASE("shipped tables carry their real structure", "[workload][graph]") {
  const Network r18 = load_workload(workload("resnet18.csv"));
  CHECK(find_layer(r18, "layer1.0.conv1").inputs == Names{"maxpool"});
  CHECK(find_layer(r18, "layer1.0.add").inputs == Names{"layer1.0.conv2", "maxpool"});
  CHECK(find_layer(r18, "layer2.0.conv1").inputs == Names{"layer1.1.add"});
  CHECK(find_layer(r18, "layer2.0.downsample").inputs == Names{"layer1.1.add"});
  CHECK(find_layer(r18, "layer2.0.add").inputs == Names{"layer2.0.conv2", "layer2.0.downsample"});
  CHECK(find_layer(r18, "layer2.1.add").inputs == Names{"layer2.1.conv2", "layer2.0.add"});
  CHECK(find_layer(r18, "fc").inputs == Names{"avgpool"});

  const Network r50 = load_workload(workload("resnet50.csv"));
  CHECK(find_layer(r50, "layer1.0.downsample").inputs == Names{"maxpool"});
  CHECK(find_layer(r50, "layer1.0.add").inputs == Names{"layer1.0.conv3", "layer1.0.downsample"});
  CHECK(find_layer(r50, "layer3.0.downsample").inputs == Names{"layer2.3.add"});
  CHECK(find_layer(r50, "layer4.2.add").inputs == Names{"layer4.2.conv3", "layer4.1.add"});

  const Network mb2 = load_workload(workload("mobilenet_v2.csv"));
  CHECK(count_op(mb2, OpType::Add) == 10);
  CHECK(find_layer(mb2, "block2_add").inputs == Names{"block2_project", "block1_project"});
  CHECK(find_layer(mb2, "block5_add").inputs == Names{"block5_project", "block4_add"});
  CHECK(find_layer(mb2, "block6_expand").inputs == Names{"block5_add"});
  CHECK(find_layer(mb2, "block10_expand").inputs == Names{"block9_add"});
  CHECK(find_layer(mb2, "block11_expand").inputs == Names{"block10_project"});  // 64 -> 96: no residual
  CHECK(find_layer(mb2, "fc").inputs == Names{"avgpool"});

  const Network r8 = load_workload(workload("tinymlperf_ic_resnet8.csv"));
  CHECK(count_op(r8, OpType::Add) == 3);
  // Generated from the model (scripts/model-tables): layer names are its tensors' (ADDs with fused ReLU).
  CHECK(find_layer(r8, "model/activation_2/Relu").inputs ==
        Names{"model/activation/Relu", "model/batch_normalization_2/FusedBatchNormV3"});
  CHECK(find_layer(r8, "model/conv2d_5/BiasAdd").inputs == Names{"model/activation_2/Relu"});
  CHECK(find_layer(r8, "model/activation_6/Relu").inputs ==
        Names{"model/conv2d_8/BiasAdd", "model/batch_normalization_6/FusedBatchNormV3"});
  CHECK(find_layer(r8, "model/dense/MatMul").inputs == Names{"model/average_pooling2d/AvgPool"});

  struct Pools {
    const char* file;
    OpType op;
    int count;
    const char* before_fc;
  };
  for (const Pools& p :
       {Pools{"alexnet.csv", OpType::MaxPool, 3, "pool5"}, Pools{"vgg16.csv", OpType::MaxPool, 5, "pool5"},
        Pools{"mobilenet_v1.csv", OpType::AvgPool, 1, "avgpool"},
        Pools{"tinymlperf_kws_ds_cnn.csv", OpType::AvgPool, 1, "functional_1/average_pooling2d/AvgPool"},
        Pools{"tinymlperf_vww_mobilenet_v1_025.csv", OpType::AvgPool, 1, "model/average_pooling2d/AvgPool"}}) {
    INFO(p.file);
    const Network n = load_workload(workload(p.file));
    CHECK(count_op(n, p.op) == p.count);
    const Layer* first_fc = nullptr;
    for (const Layer& L : n.layers)
      if (!first_fc && L.op == OpType::Fc) first_fc = &L;
    REQUIRE(first_fc);
    CHECK(first_fc->inputs == Names{p.before_fc});
  }
  const Network kws = load_workload(workload("tinymlperf_kws_ds_cnn.csv"));  // outlives the reference below
  const Layer& kws_pool = find_layer(kws, "functional_1/average_pooling2d/AvgPool");
  CHECK((kws_pool.R == 25 && kws_pool.S == 5 && kws_pool.out_h == 1 && kws_pool.out_w == 1));
}
