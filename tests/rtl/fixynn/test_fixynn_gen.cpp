// The FixyNN Verilog generator's text-level properties: deterministic, one term per non-zero weight (zero
// weights generate nothing), the manifest, the ports of the top, and InputError for nets it cannot build.
// Lint, synthesis and the functional check of the same net are check_fixynn_rtl.sh's.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "tests/rtl/fixynn/test_net.h"

using namespace npusim;
using namespace npusim::fixynn;

namespace {

// Lines of the form "      + <w> * x" / "      - x": one per accumulated term.
int64_t count_terms(const std::string& text) {
  static const std::regex term("^      [+-] ");
  std::istringstream in(text);
  int64_t n = 0;
  for (std::string line; std::getline(in, line);) n += std::regex_search(line, term);
  return n;
}

int64_t nonzero(const std::vector<int8_t>& w) {
  int64_t n = 0;
  for (int8_t v : w) n += v != 0;
  return n;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("generator output is deterministic and write_rtl writes every file") {
  const FixedNet net = test::make_test_net(7);
  const GeneratedRtl a = generate_fixynn_rtl(net);
  const GeneratedRtl b = generate_fixynn_rtl(test::make_test_net(7));
  REQUIRE(a.files == b.files);
  CHECK(a.files.size() == 4);
  CHECK(a.files.count("fixynn_stage0.v") == 1);
  CHECK(a.files.count("fixynn_stage1.v") == 1);
  CHECK(a.files.count("fixynn_top.v") == 1);
  CHECK(a.files.count("manifest.json") == 1);
  CHECK(generate_fixynn_rtl(test::make_test_net(8)).files != a.files);

  const auto dir = std::filesystem::temp_directory_path() / ("fixynn_gen_test_" + std::to_string(::getpid()));
  a.write_rtl(dir.string());
  for (const auto& [name, text] : a.files) CHECK(slurp(dir / name) == text);
  // A directory that cannot be created (its parent is a file) is an InputError naming it.
  CHECK_THROWS_AS(a.write_rtl((dir / "manifest.json" / "sub").string()), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("one term per non-zero weight, and a zeroed weight removes its term") {
  FixedNet net = test::make_test_net(3);
  const FixedStage& s0 = net.stages[0];
  const FixedStage& s1 = net.stages[1];
  REQUIRE(nonzero(s0.first.weights) < static_cast<int64_t>(s0.first.weights.size()));  // the net has zeros
  GeneratedRtl rtl = generate_fixynn_rtl(net);
  CHECK(count_terms(rtl.files.at("fixynn_stage0.v")) == nonzero(s0.first.weights));
  CHECK(count_terms(rtl.files.at("fixynn_stage1.v")) ==
        nonzero(s1.first.weights) + nonzero(s1.second.weights));

  const auto m = nlohmann::json::parse(rtl.files.at("manifest.json"));
  CHECK(m["top"] == "fixynn_top");
  REQUIRE(m["stages"].size() == 2);
  CHECK(m["stages"][0]["module"] == "fixynn_stage0");
  CHECK(m["stages"][0]["nonzero_weights"] == nonzero(s0.first.weights));
  CHECK(m["stages"][0]["line_buffer_bits"] == 4 * 7 * 3 * 8);  // (R - 1) d + 2 rows of W pixels
  CHECK(m["stages"][1]["fused"] == true);
  CHECK(m["stages"][1]["line_buffer_bits"] == 4 * 4 * 4 * 8);

  for (auto& w : net.stages[0].first.weights)
    if (w != 0) {
      w = 0;
      break;
    }
  rtl = generate_fixynn_rtl(net);
  CHECK(count_terms(rtl.files.at("fixynn_stage0.v")) == nonzero(net.stages[0].first.weights));
  CHECK(nlohmann::json::parse(rtl.files.at("manifest.json"))["stages"][0]["nonzero_weights"] ==
        nonzero(net.stages[0].first.weights));
}

TEST_CASE("the top exposes the contract's ports, named as docs/fixynn.md says") {
  const GeneratedRtl rtl = generate_fixynn_rtl(test::make_test_net(1), "my_front");
  REQUIRE(rtl.files.count("my_front.v") == 1);
  const std::string& top = rtl.files.at("my_front.v");
  CHECK(top.find("module my_front (") != std::string::npos);
  for (const char* port :
       {"input  wire in_valid", "output wire in_ready", "input  wire [23:0] in_data", "output wire out_valid",
        "input  wire out_ready", "output wire [47:0] out_data", "output wire s0_out_valid",
        "output wire [31:0] s0_out_data", "output wire s0_in_ready", "output wire s1_out_valid",
        "output wire [47:0] s1_out_data", "output wire s1_in_ready"})
    CHECK(top.find(port) != std::string::npos);
}

TEST_CASE("nets the generator cannot build are InputErrors") {
  const FixedNet good = test::make_test_net(1);
  CHECK_THROWS_AS(generate_fixynn_rtl(FixedNet{}), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(good, "1bad"), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(good, "fixynn_stage0"), InputError);
  auto broken = [&](auto&& edit) {
    FixedNet n = good;
    edit(n);
    return n;
  };
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.adder_pipeline = 1; })), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.w_bits = 4; })), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.stages[0].first.weights.pop_back(); })),
                  InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.stages[0].first.shift[1] = 31; })),
                  InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.stages[1].H = 5; })), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken([](FixedNet& n) { n.stages[1].second.C = 3; })), InputError);
  CHECK_THROWS_AS(generate_fixynn_rtl(broken(
                      [](FixedNet& n) { n.stages[0].first.act_min = 100, n.stages[0].first.act_max = 0; })),
                  InputError);
  CHECK_NOTHROW(generate_fixynn_rtl(good));
}
