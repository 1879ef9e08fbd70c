#include <catch2/catch.hpp>

#include "sim/workload/layer.h"
#include "sim/workload/workload_loader.h"
#include "test_util.h"

using namespace npusim;

TEST_CASE("OpType names", "[layer]") {
  CHECK(std::string(to_string(OpType::Conv)) == "conv");
  CHECK(std::string(to_string(OpType::DwConv)) == "dwconv");
  CHECK(std::string(to_string(OpType::Fc)) == "fc");
  CHECK(std::string(to_string(OpType::MaxPool)) == "maxpool");
  CHECK(std::string(to_string(OpType::AvgPool)) == "avgpool");
  CHECK(std::string(to_string(OpType::Add)) == "add");
  CHECK(std::string(to_string(OpType::Lstm)) == "lstm");
  CHECK(std::string(to_string(OpType::Gru)) == "gru");
}

TEST_CASE("Layer::macs per op", "[layer]") {
  Layer L;
  L.op = OpType::Conv;
  L.H = L.W = 8;
  L.C = 8;
  L.K = 16;
  L.R = L.S = 3;
  L.groups = 2;
  L.batch = 2;
  L.out_h = 8;
  L.out_w = 6;
  CHECK(L.macs() == 8 * 6 * 2 * 16 * 3 * 3 * (8 / 2));
  CHECK(L.gemm_m() == 8 * 6 * 2);
  CHECK(L.gemm_k() == 3 * 3 * 4);
  CHECK(L.gemm_n() == 8);

  L.op = OpType::DwConv;
  L.groups = 8;
  L.K = 8;
  CHECK(L.macs() == 8 * 6 * 2 * 8 * 9 * 1);

  Layer fc;
  fc.op = OpType::Fc;
  fc.C = 512;
  fc.K = 1000;
  fc.batch = 3;
  CHECK(fc.macs() == 3 * 512 * 1000);

  for (OpType op : {OpType::MaxPool, OpType::AvgPool, OpType::Add}) {
    Layer p = L;
    p.op = op;
    CHECK(p.macs() == 0);
    CHECK_FALSE(p.on_array());
  }

  Layer lstm;
  lstm.op = OpType::Lstm;
  lstm.input_size = 28;
  lstm.hidden_size = 20;
  lstm.seq_len = 28;
  lstm.batch = 2;
  CHECK(lstm.macs() == 28 * 2 * 4 * 20 * (28 + 20));
  CHECK(lstm.is_recurrent());
  lstm.op = OpType::Gru;
  CHECK(lstm.macs() == 28 * 2 * 3 * 20 * (28 + 20));
}

TEST_CASE("conv output size formula", "[layer]") {
  // Symmetric padding.
  CHECK(conv_out_size(224, 3, 3, 7, 2) == 112);
  CHECK(conv_out_size(56, 1, 1, 3, 1) == 56);
  // TF 'SAME', stride 2, asymmetric: the extra padding row goes to the bottom.
  CHECK(conv_out_size(224, 0, 1, 3, 2) == 112);
  CHECK(conv_out_size(224, 0, 0, 3, 2) == 111);
  CHECK(conv_out_size(49, 4, 5, 10, 2) == 25);
  CHECK(conv_out_size(8, 0, 1, 3, 2) == 4);
  CHECK(conv_out_size(7, 1, 0, 3, 2) == 3);
  // Dilation: extent = dilation*(k-1)+1.
  CHECK(conv_out_size(8, 2, 2, 3, 1, 2) == 8);
  CHECK(conv_out_size(10, 0, 0, 3, 1, 2) == 6);
  CHECK(conv_out_size(10, 0, 0, 3, 2, 2) == 3);
  CHECK(conv_out_size(5, 0, 0, 3, 1, 2) == 1);
  // Kernel does not fit.
  CHECK(conv_out_size(3, 0, 0, 7, 1) < 1);
  CHECK(conv_out_size(4, 0, 0, 3, 1, 2) < 1);
  // Valid (SCALE-Sim style) convolution.
  CHECK(conv_out_size(12, 0, 0, 3, 3) == 4);
}

TEST_CASE("gemm_layer maps MxK by KxN to fc", "[layer]") {
  const Layer L = gemm_layer("g", 64, 128, 32);
  CHECK(L.op == OpType::Fc);
  CHECK(L.batch == 64);
  CHECK(L.C == 128);
  CHECK(L.K == 32);
  CHECK(L.gemm_m() == 64);
  CHECK(L.gemm_k() == 128);
  CHECK(L.gemm_n() == 32);
  CHECK(L.macs() == 64 * 128 * 32);
  test::check_message(test::input_error([] { gemm_layer("g", 0, 1, 1); }), {"'g'", "M, K and N"});
}
