#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/workload/workload_loader.h"
#include "test_util.h"

using namespace npusim;
using npusim::test::check_message;
using npusim::test::find_layer;
using npusim::test::input_error;
using npusim::test::TempDir;

namespace {

std::string workload(const std::string& rel) {
  return test::source_dir() + "/workloads/" + rel;
}

int64_t total_macs(const Network& n) {
  int64_t t = 0;
  for (const Layer& L : n.layers) t += L.macs();
  return t;
}

}  // namespace

TEST_CASE("shipped networks match the published MAC totals", "[workload]") {
  struct Case {
    const char* file;
    double macs;
  };
  const Case cases[] = {{"resnet18.csv", 1.814e9},
                        {"resnet50.csv", 3.858e9},
                        {"vgg16.csv", 15.47e9},
                        {"mobilenet_v1.csv", 568.7e6},
                        {"mobilenet_v2.csv", 300.8e6}};
  for (const Case& c : cases) {
    INFO(c.file);
    const Network n = load_workload(workload(c.file));
    const double got = static_cast<double>(total_macs(n));
    CHECK(std::abs(got - c.macs) / c.macs < 0.005);
  }
}

TEST_CASE("every shipped workload file loads", "[workload]") {
  int count = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(workload(""))) {
    if (e.path().extension() != ".csv") continue;
    INFO(e.path().string());
    Network n;
    REQUIRE_NOTHROW(n = load_workload(e.path().string()));
    CHECK(!n.layers.empty());
    CHECK(n.name == e.path().stem().string());
    ++count;
  }
  CHECK(count >= 13);  // 10 networks + 3 test files
  for (const char* f : {"alexnet.csv", "tinymlperf_kws_ds_cnn.csv", "tinymlperf_vww_mobilenet_v1_025.csv",
                        "tinymlperf_ic_resnet8.csv", "tinymlperf_ad_fc_autoencoder.csv"}) {
    INFO(f);
    CHECK(total_macs(load_workload(workload(f))) > 0);
  }
}

TEST_CASE("resnets are complete with maxpool and residual adds and avgpool", "[workload]") {
  const Network r18 = load_workload(workload("resnet18.csv"));
  REQUIRE(r18.layers.size() >= 3);
  CHECK(r18.layers[0].name == "conv1");
  CHECK(r18.layers[1].op == OpType::MaxPool);
  CHECK(r18.layers[1].out_h == 56);
  CHECK(r18.layers[1].pad_top == 1);
  CHECK(r18.layers[r18.layers.size() - 2].op == OpType::AvgPool);
  CHECK(r18.layers.back().op == OpType::Fc);
  int adds = 0;
  for (const Layer& L : r18.layers) adds += L.op == OpType::Add;
  CHECK(adds == 8);
  const Layer& add = find_layer(r18, "layer2.0.add");
  CHECK(add.H == 28);
  CHECK(add.C == 128);
  CHECK(add.K == 128);

  const Network r50 = load_workload(workload("resnet50.csv"));
  adds = 0;
  for (const Layer& L : r50.layers) adds += L.op == OpType::Add;
  CHECK(adds == 16);
  CHECK(find_layer(r50, "layer4.2.add").C == 2048);
  CHECK(find_layer(r50, "avgpool").R == 7);
  CHECK(find_layer(r50, "avgpool").out_h == 1);
}

TEST_CASE("converted tables keep asymmetric padding", "[workload]") {
  const Network mb = load_workload(workload("mobilenet_v1.csv"));
  const Layer& c0 = find_layer(mb, "conv0");  // TF 'SAME' stride 2: top 0, bottom 1
  CHECK(c0.pad_top == 0);
  CHECK(c0.pad_bottom == 1);
  CHECK(c0.out_h == 112);
  const Network kws = load_workload(workload("tinymlperf_kws_ds_cnn.csv"));
  const Layer& k0 = kws.layers.front();
  CHECK(k0.pad_top == 4);
  CHECK(k0.pad_bottom == 5);
  CHECK(k0.out_h == 25);
  CHECK(k0.out_w == 5);
}

TEST_CASE("tiny test layers load with the right shapes", "[workload]") {
  const Network n = load_workload(workload("test/tiny_conv.csv"));
  CHECK(n.name == "tiny_conv");
  REQUIRE(n.layers.size() == 8);

  const Layer& s2 = find_layer(n, "conv_s2_same");
  CHECK(s2.op == OpType::Conv);
  CHECK((s2.out_h == 4 && s2.out_w == 4));
  CHECK(s2.pad_bottom == 1);
  CHECK(s2.macs() == 4 * 4 * 8 * 9 * 4);
  CHECK(s2.source.find("tiny_conv.csv:4") != std::string::npos);

  const Layer& g = find_layer(n, "conv_g2_dil2");
  CHECK(g.groups == 2);
  CHECK(g.dilation == 2);
  CHECK((g.out_h == 8 && g.out_w == 6));
  CHECK(g.gemm_k() == 9 * 4);
  CHECK(g.gemm_n() == 8);
  CHECK(g.macs() == 8 * 6 * 16 * 9 * 4);

  const Layer& rect = find_layer(n, "conv_rect");
  CHECK((rect.out_h == 3 && rect.out_w == 5));
  CHECK((rect.stride_h == 2 && rect.stride_w == 1));
  CHECK((rect.pad_top == 1 && rect.pad_bottom == 0 && rect.pad_left == 0 && rect.pad_right == 1));

  const Layer& dw = find_layer(n, "dw_s2");
  CHECK(dw.op == OpType::DwConv);
  CHECK(dw.groups == 8);  // defaults to C
  CHECK((dw.out_h == 4 && dw.out_w == 4));
  CHECK(dw.macs() == 4 * 4 * 8 * 9);

  const Layer& mp = find_layer(n, "maxpool_2x2");
  CHECK(mp.op == OpType::MaxPool);  // op 'pool'
  CHECK(mp.K == 8);
  CHECK((mp.out_h == 2 && mp.out_w == 2));
  CHECK(mp.macs() == 0);

  const Layer& ap = find_layer(n, "avgpool_2x2");
  CHECK(ap.op == OpType::AvgPool);
  CHECK(ap.out_h == 1);

  const Layer& add = find_layer(n, "residual_add");
  CHECK(add.op == OpType::Add);
  CHECK((add.R == 1 && add.S == 1 && add.K == 8));
  CHECK((add.out_h == 4 && add.out_w == 4));

  const Layer& fc = find_layer(n, "fc_sparse");
  CHECK(fc.op == OpType::Fc);
  CHECK((fc.H == 1 && fc.W == 1 && fc.R == 1 && fc.S == 1));
  CHECK(fc.batch == 2);
  CHECK(fc.w_bits == 4);
  CHECK(fc.a_bits == 8);
  REQUIRE(fc.w_nnz.has_value());
  CHECK(*fc.w_nnz == 4);
  CHECK_FALSE(fc.a_nnz.has_value());
  CHECK(fc.w_density == Approx(0.5));
  CHECK(fc.a_density == Approx(1.0));
  CHECK(fc.macs() == 2 * 8 * 10);
}

TEST_CASE("SCALE-Sim topologies load unchanged", "[workload]") {
  const Network conv = load_workload(workload("test/scalesim_conv.csv"));
  REQUIRE(conv.layers.size() == 4);
  const Layer& c1 = conv.layers[0];
  CHECK(c1.name == "Conv1");
  CHECK(c1.op == OpType::Conv);
  CHECK((c1.H == 230 && c1.W == 230 && c1.R == 7 && c1.S == 7 && c1.C == 3 && c1.K == 64));
  CHECK((c1.stride_h == 2 && c1.stride_w == 2));
  CHECK((c1.pad_top == 0 && c1.pad_bottom == 0));
  CHECK((c1.out_h == 112 && c1.out_w == 112));
  CHECK(conv.layers[1].out_h == 56);
  const Layer& rect = conv.layers[2];
  CHECK((rect.out_h == 4 && rect.out_w == 3));
  CHECK(conv.layers[3].macs() == 512 * 1000);

  const Network gemm = load_workload(workload("test/scalesim_gemm.csv"));
  REQUIRE(gemm.layers.size() == 3);
  const Layer& g = gemm.layers[0];  // gemm1, M=64, N=32, K=128
  CHECK(g.name == "gemm1");
  CHECK(g.op == OpType::Fc);
  CHECK(g.batch == 64);
  CHECK(g.C == 128);
  CHECK(g.K == 32);
  CHECK(g.macs() == 64 * 32 * 128);
  CHECK(g.source.find("scalesim_gemm.csv:2") != std::string::npos);

  // Header detection is case- and whitespace-insensitive; trailing comma optional.
  TempDir tmp;
  const std::string p = tmp.write("g.csv", "layer name ,m,N , k\nx,2,3,4\n");
  const Network g2 = load_workload(p);
  CHECK((g2.layers[0].batch == 2 && g2.layers[0].C == 4 && g2.layers[0].K == 3));
  const std::string q = tmp.write("c.csv",
                                  "LAYER NAME,IFMAP HEIGHT,IFMAP WIDTH,FILTER HEIGHT,FILTER WIDTH,CHANNELS,"
                                  "NUM FILTER,STRIDES\nc,5,5,3,3,2,4,2\n");
  CHECK(load_workload(q).layers[0].out_h == 2);
}

TEST_CASE("npusim CSV: free column order and comments and recurrent rows and tensor files", "[workload]") {
  TempDir tmp;
  tmp.write("act.npy", "x");
  const std::string p =
      tmp.write("mixed.csv",
                "# a comment\n"
                "\n"
                "op,name,input_size,hidden_size,seq_len,batch,C,K,H,W,R,S,stride_h,stride_w,act_file\n"
                "lstm,l1,28,20,28,,,,,,,,,,\n"
                "  # indented comment\n"
                "gru,g1,20,16,5,2,,,,,,,,,\n"
                "fc,dec,20,10,28,,,,,,,,,,\n"
                "conv,c1,,,,,3,4,6,6,3,3,1,1,act.npy\r\n");
  const Network n = load_workload(p);
  REQUIRE(n.layers.size() == 4);
  const Layer& l = n.layers[0];
  CHECK(l.op == OpType::Lstm);
  CHECK(l.macs() == 28 * 4 * 20 * (28 + 20));
  CHECK(l.source == p + ":4");
  const Layer& g = n.layers[1];
  CHECK(g.op == OpType::Gru);
  CHECK(g.batch == 2);
  CHECK(g.macs() == 5 * 2 * 3 * 16 * (20 + 16));
  CHECK(g.source == p + ":6");
  const Layer& dec = n.layers[2];  // fc over the whole sequence: batch = seq_len * batch
  CHECK((dec.C == 20 && dec.K == 10 && dec.batch == 28));
  const Layer& c = n.layers[3];
  CHECK((c.out_h == 4 && c.out_w == 4 && c.K == 4));
  CHECK(c.act_file == (std::filesystem::path(tmp.path("act.npy")).lexically_normal().string()));
  CHECK(c.source == p + ":8");
}

TEST_CASE("npusim CSV: bad inputs are one-line InputErrors naming file and line and column", "[workload]") {
  TempDir tmp;
  const std::string H = "name,op,H,W,C,K,R,S,stride_h,stride_w";
  const std::vector<test::MessageCase> cases = {
      {"unknown column", H + ",foo\nc,conv,8,8,3,4,3,3,1,1,1\n", {"bad.csv:1:", "unknown column 'foo'"}},
      {"duplicate column", H + ",K\nc,conv,8,8,3,4,3,3,1,1,4\n", {"bad.csv:1:", "duplicate column 'K'"}},
      {"missing op column", "name,H\nc,8\n", {"bad.csv:1:", "missing required column 'op'"}},
      {"empty column name", "name,op,,H\nc,conv,,8\n", {"bad.csv:1:", "empty column name"}},
      {"non-integer",
       "# comment\n" + H + "\nc,conv,8,8,3,4,3,3,x,1\n",
       {"bad.csv:3:", "column 'stride_h'", "expected a positive integer, got 'x'"}},
      {"non-integer (decimal)", H + "\nc,conv,8,8,3.5,4,3,3,1,1\n", {"bad.csv:2:", "column 'C'", "'3.5'"}},
      {"zero stride", H + "\nc,conv,8,8,3,4,3,3,1,0\n", {"bad.csv:2:", "column 'stride_w'"}},
      {"negative padding",
       H + ",pad_left\nc,conv,8,8,3,4,3,3,1,1,-1\n",
       {"bad.csv:2:", "column 'pad_left'", "non-negative"}},
      {"padding >= kernel extent",
       H + ",pad_top\nc,conv,8,8,3,4,3,3,1,1,3\n",
       {"bad.csv:2:", "column 'pad_top'", "kernel extent 3"}},
      {"too few fields", H + "\n\nc,conv,8,8,3,4,3,3,1\n", {"bad.csv:3:", "expected 10 fields", "got 9"}},
      {"too many fields", H + "\nc,conv,8,8,3,4,3,3,1,1,1\n", {"bad.csv:2:", "expected 10 fields", "got 11"}},
      {"empty file", "", {"bad.csv:1:", "empty workload file"}},
      {"only comments", "# nothing\n\n", {"bad.csv:", "empty workload file"}},
      {"header only", "# c\n" + H + "\n", {"bad.csv:2:", "no layers"}},
      {"out_h mismatch",
       H + ",out_h\nc,conv,8,8,3,4,3,3,2,2,4\n",
       {"bad.csv:2:", "column 'out_h'", "expected 3", "got 4"}},
      {"kernel does not fit", H + "\nc,conv,3,8,3,4,7,3,1,1\n", {"bad.csv:2:", "column 'R'", "exceeds"}},
      {"dilated kernel does not fit",
       H + ",dilation\nc,conv,4,8,3,4,3,3,1,1,2\n",
       {"bad.csv:2:", "column 'R'", "kernel extent 5"}},
      {"C not divisible by groups",
       H + ",groups\nc,conv,8,8,6,4,3,3,1,1,4\n",
       {"bad.csv:2:", "column 'groups'", "C (6)"}},
      {"K not divisible by groups",
       H + ",groups\nc,conv,8,8,6,4,3,3,1,1,3\n",
       {"bad.csv:2:", "column 'groups'", "K (4)"}},
      {"dwconv groups != C",
       H + ",groups\nd,dwconv,8,8,6,6,3,3,1,1,3\n",
       {"bad.csv:2:", "column 'groups'", "must equal C"}},
      {"dwconv K not multiple of C", H + "\nd,dwconv,8,8,6,9,3,3,1,1\n", {"bad.csv:2:", "column 'K'"}},
      {"w_bits out of range",
       H + ",w_bits\nc,conv,8,8,3,4,3,3,1,1,16\n",
       {"bad.csv:2:", "column 'w_bits'", "2..8"}},
      {"a_nnz out of range",
       H + ",a_nnz\nc,conv,8,8,3,4,3,3,1,1,17\n",
       {"bad.csv:2:", "column 'a_nnz'", "1..16"}},
      {"w_nnz zero", H + ",w_nnz\nc,conv,8,8,3,4,3,3,1,1,0\n", {"bad.csv:2:", "column 'w_nnz'"}},
      {"density out of range",
       H + ",a_density\nc,conv,8,8,3,4,3,3,1,1,1.5\n",
       {"bad.csv:2:", "column 'a_density'", "[0,1]"}},
      {"density not a number",
       H + ",w_density\nc,conv,8,8,3,4,3,3,1,1,half\n",
       {"bad.csv:2:", "column 'w_density'", "'half'"}},
      {"duplicate layer name",
       H + "\nc,conv,8,8,3,4,3,3,1,1\nc,conv,6,6,4,4,3,3,1,1\n",
       {"bad.csv:3:", "duplicate layer name 'c'", "line 2"}},
      {"empty layer name", H + "\n,conv,8,8,3,4,3,3,1,1\n", {"bad.csv:2:", "column 'name'"}},
      {"unknown op", H + "\nc,deconv,8,8,3,4,3,3,1,1\n", {"bad.csv:2:", "column 'op'", "'deconv'"}},
      {"required column empty", H + "\nc,conv,8,8,3,,3,3,1,1\n", {"bad.csv:2:", "column 'K'", "required"}},
      {"required column missing",
       "name,op,H,W,C,K,S,stride_h,stride_w\nc,conv,8,8,3,4,3,1,1\n",
       {"bad.csv:2:", "missing column 'R'", "op 'conv'"}},
      {"add with K != C", H + "\na,add,8,8,16,8,,,,\n", {"bad.csv:2:", "column 'K'", "must equal C"}},
      {"add with R != 1", H + "\na,add,8,8,16,16,3,3,,\n", {"bad.csv:2:", "column 'R'", "must be 1"}},
      {"fc with H != 1", H + "\nf,fc,7,7,512,10,1,1,1,1\n", {"bad.csv:2:", "column 'H'", "must be 1"}},
      {"recurrent row with geometry",
       "name,op,H,input_size,hidden_size,seq_len\nl,lstm,4,8,8,2\n",
       {"bad.csv:2:", "column 'H'", "does not apply to op 'lstm'"}},
      {"conv row with recurrent column",
       H + ",seq_len\nc,conv,8,8,3,4,3,3,1,1,5\n",
       {"bad.csv:2:", "column 'seq_len'", "does not apply"}},
      {"recurrent row missing seq_len",
       "name,op,input_size,hidden_size,seq_len\nl,gru,8,8,\n",
       {"bad.csv:2:", "column 'seq_len'"}},
      {"act_file not found",
       H + ",act_file\nc,conv,8,8,3,4,3,3,1,1,nope.npy\n",
       {"bad.csv:2:", "column 'act_file'", "not found"}},
      {"wgt_file not .npy",
       H + ",wgt_file\nc,conv,8,8,3,4,3,3,1,1,w.bin\n",
       {"bad.csv:2:", "column 'wgt_file'", ".npy"}},
      {"unterminated quote", H + "\n\"c,conv,8,8,3,4,3,3,1,1\n", {"bad.csv:2:", "unterminated"}},
      {"value with control character",
       H + "\nc,conv,8,8,3,4,3,3,1\x01,1\n",
       {"bad.csv:2:", "column 'stride_h'"}},
      {"huge value", H + "\nc,conv,99999999999999999999,8,3,4,3,3,1,1\n", {"bad.csv:2:", "column 'H'"}},
      {"overflowing layer",
       H + "\nc,conv,100000,100000,100000,100000,1,1,1,1\n",
       {"bad.csv:2:", "too large"}},
      {"SCALE-Sim conv bad integer",
       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
       "c1, 8, 8, 3, 3, three, 4, 1,\n",
       {"bad.csv:2:", "column 'Channels'", "'three'"}},
      {"SCALE-Sim conv filter larger than ifmap",
       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
       "c1, 2, 8, 3, 3, 3, 4, 1,\n",
       {"bad.csv:2:", "column 'Filter Height'", "unpadded"}},
      {"SCALE-Sim GEMM wrong field count",
       "Layer, M, N, K,\ng, 4, 4,\n",
       {"bad.csv:2:", "expected 4 fields", "got 3"}},
      {"SCALE-Sim GEMM zero dim", "Layer, M, N, K,\ng, 4, 0, 4,\n", {"bad.csv:2:", "column 'N'"}},
      {"SCALE-Sim unknown header", "Layer name, IFMAP Height, Sparsity,\n", {"bad.csv:1:", "SCALE-Sim"}},
  };
  REQUIRE(cases.size() >= 15);
  for (const test::MessageCase& c : cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string path = tmp.write("bad.csv", c.text);
      const std::string msg = input_error([&] { load_workload(path); });
      INFO(c.what);
      CHECK(msg.rfind(path, 0) == 0);  // starts with the path
      check_message(msg, c.needles);
    }
  }
}

TEST_CASE("missing workload file", "[workload]") {
  TempDir tmp;
  const std::string p = tmp.path("nope.csv");
  check_message(input_error([&] { load_workload(p); }), {p + ": cannot open workload file"});
  check_message(input_error([&] { load_workload(tmp.path("")); }), {"cannot open workload file"});
}
