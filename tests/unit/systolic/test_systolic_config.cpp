#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/config/arch_loader.h"
#include "models/systolic/systolic_config.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;

using npusim::test::check_message;
using npusim::test::input_error;
using npusim::test::TempDir;

namespace {

std::string arch(const std::string& file) {
  return test::source_dir() + "/configs/arch/" + file;
}

const char* kMinimal =
    "name: t\n"
    "family: systolic\n"
    "array: {rows: 4, cols: 8}\n";

}  // namespace

TEST_CASE("shipped SA configs load with every field", "[arch]") {
  const ArchConfig os = load_arch(arch("sa_16x16_os.yaml"));
  CHECK(os.name == "sa_16x16_os");
  CHECK(os.family == "systolic");
  CHECK(os.clock_mhz == 1000.0);
  CHECK(os.tech == "16nm");
  CHECK((sys(os).rows == 16 && sys(os).cols == 16));
  CHECK((sys(os).tpe_a == 1 && sys(os).tpe_b == 1 && sys(os).tpe_c == 1));
  CHECK(sys(os).dataflow == Dataflow::OS);
  CHECK((sys(os).weights.mode == "dense" && sys(os).weights.block == 8 && sys(os).weights.nnz == 8));
  CHECK((sys(os).activations.mode == "dense" && sys(os).activations.block == 8 && sys(os).activations.nnz == 8));
  CHECK(sys(os).im2col == "software");
  CHECK((sys(os).act_kib == 512 && sys(os).wgt_kib == 512 && sys(os).out_kib == 256));
  CHECK(os.dram_bytes_per_cycle == 32.0);
  CHECK((os.act_bits == 8 && os.wgt_bits == 8 && os.acc_bits == 32));
  CHECK(os.vector_lanes == 16);
  CHECK(os.source == arch("sa_16x16_os.yaml"));

  const ArchConfig ws = load_arch(arch("sa_16x16_ws.yaml"));
  CHECK(ws.name == "sa_16x16_ws");
  CHECK(sys(ws).dataflow == Dataflow::WS);
  CHECK((sys(ws).rows == 16 && sys(ws).cols == 16));
}

TEST_CASE("arch to_json mirrors the YAML nesting and round-trips", "[arch]") {
  const ArchConfig c = load_arch(arch("sa_16x16_ws.yaml"));
  const nlohmann::json j = c.to_json();
  CHECK(j["name"] == "sa_16x16_ws");
  CHECK(j["array"]["rows"] == 16);
  CHECK(j["tpe"]["c"] == 1);
  CHECK(j["dataflow"] == "ws");
  CHECK(j["sparsity"]["weights"]["nnz"] == 8);
  CHECK(j["sparsity"]["activations"]["mode"] == "dense");
  CHECK(j["buffers"]["out_kib"] == 256);
  CHECK(j["dram"]["bytes_per_cycle"] == 32.0);
  CHECK(j["precision"]["acc_bits"] == 32);
  CHECK(j["vector"]["lanes"] == 16);
  CHECK(j["im2col_slots"] == 3 * 16 + 1);
  CHECK(j.size() == 14);
  // JSON is YAML: the emitted config loads back to the same config.
  TempDir tmp;
  const ArchConfig back = load_arch(tmp.write("rt.yaml", j.dump(2)));
  CHECK(back.to_json() == j);
}

TEST_CASE("arch defaults and overrides", "[arch]") {
  TempDir tmp;
  const std::string p = tmp.write("min.yaml", kMinimal);
  const ArchConfig d = load_arch(p);
  CHECK((sys(d).rows == 4 && sys(d).cols == 8));
  CHECK(sys(d).dataflow == Dataflow::OS);
  CHECK(d.clock_mhz == 1000.0);
  CHECK(sys(d).act_kib == 512);
  CHECK(d.vector_lanes == 16);
  CHECK(sys(d).weights.nnz == 8);

  const ArchConfig o =
      load_arch(p, {"array.rows=32", "dataflow=ws", "precision.act_bits = 4", "clock_mhz=800.5",
                    "buffers.out_kib=64", "vector.lanes=32", "tpe.a=1", "name=renamed"});
  CHECK(sys(o).rows == 32);
  CHECK(sys(o).cols == 8);
  CHECK(sys(o).dataflow == Dataflow::WS);
  CHECK(o.act_bits == 4);
  CHECK(o.clock_mhz == 800.5);
  CHECK(sys(o).out_kib == 64);
  CHECK(o.vector_lanes == 32);
  CHECK(o.name == "renamed");

  // A whole sub-map, and a block whose nnz defaults to the block size.
  const ArchConfig m = load_arch(p, {"array={rows: 2, cols: 3}", "sparsity.weights.block=4"});
  CHECK((sys(m).rows == 2 && sys(m).cols == 3));
  CHECK((sys(m).weights.block == 4 && sys(m).weights.nnz == 4));

  // Overrides apply before validation: a bad file value can be fixed from the command line.
  const std::string bad = tmp.write("bad.yaml", std::string(kMinimal) + "dataflow: xs\n");
  CHECK(sys(load_arch(bad, {"dataflow=os"})).dataflow == Dataflow::OS);
}

TEST_CASE("arch config: bad inputs are one-line InputErrors naming file and key", "[arch]") {
  TempDir tmp;
  const std::string base = kMinimal;
  struct Case {
    const char* what;
    std::string text;
    std::vector<std::string> overrides;
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases = {
      {"unknown top-level key", base + "foo: 1\n", {}, {"a.yaml:4:", "unknown key 'foo'"}},
      {"unknown nested key",
       base + "sparsity:\n  weights: {mode: dense, blok: 8}\n",
       {},
       {"a.yaml:5:", "unknown key 'sparsity.weights.blok'"}},
      {"duplicate key", base + "clock_mhz: 100\nclock_mhz: 200\n", {}, {"a.yaml:", "clock_mhz", "duplicate"}},
      {"bad type",
       "name: t\nfamily: systolic\narray:\n  rows: abc\n  cols: 4\n",
       {},
       {"a.yaml:4:", "array.rows: expected a positive integer, got 'abc'"}},
      {"zero rows",
       "name: t\nfamily: systolic\narray: {rows: 0, cols: 4}\n",
       {},
       {"a.yaml:3:", "array.rows", "got '0'"}},
      {"negative cols",
       "name: t\nfamily: systolic\narray: {rows: 4, cols: -2}\n",
       {},
       {"a.yaml:3:", "array.cols"}},
      {"array not a map",
       "name: t\nfamily: systolic\narray: 16\n",
       {},
       {"a.yaml:3:", "array: expected a mapping"}},
      {"dap needs one activation per row",
       base + "sparsity:\n  activations: {mode: dap, block: 8, nnz: 4}\ntpe: {a: 2, b: 8, c: 2}\n",
       {},
       {"a.yaml", "tpe.b: must be 1 with sparsity.activations.mode dap"}},
      {"dap with vdbb weights",
       base + "sparsity:\n  weights: {mode: vdbb, block: 8, nnz: 4}\n  activations: {mode: dap, block: 8, nnz: 4}\n",
       {},
       {"a.yaml", "sparsity.weights.mode: 'vdbb' is not supported"}},
      {"dap weight block mismatch",
       base + "sparsity:\n  weights: {mode: dbb, block: 4, nnz: 2}\n  activations: {mode: dap, block: 8, nnz: 4}\n",
       {},
       {"a.yaml", "sparsity.weights.block: 4 must equal sparsity.activations.block (8)"}},
      {"dap with hardware im2col",
       base + "im2col: hardware\nsparsity:\n  activations: {mode: dap, block: 8, nnz: 4}\n",
       {},
       {"a.yaml", "im2col: 'hardware' is not supported"}},
      {"zvcg on WS", base + "dataflow: ws\nsparsity:\n  activations: {mode: zvcg}\n", {},
       {"a.yaml", "sparsity.activations.mode: 'zvcg' is not supported"}},
      {"dap nnz > block",
       base + "sparsity:\n  activations: {mode: dap, block: 8, nnz: 9}\n",
       {},
       {"a.yaml", "sparsity.activations.nnz", "exceeds the block size"}},
      {"im2col slots too few",
       base + "im2col: hardware\nim2col_slots: 4\n",
       {},
       {"a.yaml", "im2col_slots: at least activation rows + 1 = 5", "got 4"}},
      {"hardware im2col on WS", base + "dataflow: ws\nim2col: hardware\n", {}, {"a.yaml", "im2col: 'hardware'"}},
      {"missing array.cols", "name: t\nfamily: systolic\narray: {rows: 4}\n", {}, {"a.yaml", "'array.cols'"}},
      {"missing name", "family: systolic\narray: {rows: 4, cols: 4}\n", {}, {"a.yaml", "'name'"}},
      {"missing family", "name: t\narray: {rows: 4, cols: 4}\n", {}, {"a.yaml", "'family'"}},
      {"nnz > block",
       base + "sparsity:\n  weights: {mode: dense, block: 8, nnz: 9}\n",
       {},
       {"a.yaml:5:", "sparsity.weights.nnz", "exceeds the block size"}},
      {"nnz < 1",
       base + "sparsity:\n  activations: {nnz: 0}\n",
       {},
       {"a.yaml:5:", "sparsity.activations.nnz"}},
      {"block < 1",
       base + "sparsity:\n  weights: {block: 0, nnz: 1}\n",
       {},
       {"a.yaml:5:", "sparsity.weights.block"}},
      {"bad enum dataflow",
       base + "dataflow: is\n",
       {},
       {"a.yaml:4:", "dataflow: expected one of os, ws, got 'is'"}},
      {"bad enum family",
       "name: t\nfamily: gpu\narray: {rows: 4, cols: 4}\n",
       {},
       {"a.yaml:2:", "family", "'gpu'"}},
      {"bad enum sparsity mode",
       base + "sparsity: {weights: {mode: zvcg}}\n",
       {},
       {"a.yaml:4:", "sparsity.weights.mode", "'zvcg'"}},
      {"bad enum im2col", base + "im2col: firmware\n", {}, {"a.yaml:4:", "im2col"}},
      {"buffer size zero", base + "buffers: {act_kib: 0}\n", {}, {"a.yaml:4:", "buffers.act_kib"}},
      {"bytes_per_cycle zero",
       base + "dram: {bytes_per_cycle: 0}\n",
       {},
       {"a.yaml:4:", "dram.bytes_per_cycle"}},
      {"clock negative", base + "clock_mhz: -5\n", {}, {"a.yaml:4:", "clock_mhz", "positive number"}},
      {"act_bits 9", base + "precision: {act_bits: 9}\n", {}, {"a.yaml:4:", "precision.act_bits", "2..8"}},
      {"acc_bits 8", base + "precision: {acc_bits: 8}\n", {}, {"a.yaml:4:", "precision.acc_bits", "16..32"}},
      {"scalar where list", base + "tech: [a, b]\n", {}, {"a.yaml:4:", "tech", "a list"}},
      {"empty file", "", {}, {"a.yaml", "empty arch config"}},
      {"top level not a map", "- a\n- b\n", {}, {"a.yaml:1:", "mapping"}},
      {"YAML syntax error",
       "name: t\nfamily: systolic\narray: {rows: 4, cols: 4\n",
       {},
       {"a.yaml:", "YAML syntax error"}},
      {"YAML syntax error (indentation)",
       "name: t\nfamily: systolic\narray:\n  rows: 4\n cols: 4\n",
       {},
       {"a.yaml:5:", "YAML syntax error"}},
      {"override without '='", base, {"array.rows"}, {"--set 'array.rows': expected key=value"}},
      {"override with empty key", base, {"=3"}, {"--set '=3'", "empty key"}},
      {"unknown override key", base, {"foo.bar=1"}, {"--set foo.bar: unknown key"}},
      {"override of a non-leaf path", base, {"array.rows.x=1"}, {"--set array.rows.x: unknown key"}},
      {"override with a bad value",
       base,
       {"array.rows=abc"},
       {"a.yaml", "--set array.rows: expected a positive integer, got 'abc'"}},
      {"override with an empty value", base, {"name="}, {"a.yaml", "--set name"}},
      {"unregistered family",
       "name: t\nfamily: nosuchfamily\narray: {rows: 4, cols: 4}\n",
       {},
       {"a.yaml:2: family: expected one of", "systolic", "got 'nosuchfamily'"}},
      {"unknown key of the family", base + "tiles: 4\n", {}, {"a.yaml:4:", "unknown key 'tiles'", "family systolic"}},
      {"--set of the family", base, {"family=tpu"}, {"a.yaml: --set family", "got 'tpu'"}},
      {"tensor PEs in the weight-stationary dataflow",
       base + "tpe: {a: 4, b: 8, c: 4}\ndataflow: ws\n",
       {},
       {"a.yaml", "dataflow: 'ws' is not supported yet"}},
      {"DBB block different from tpe.b",
       base + "tpe: {a: 2, b: 4, c: 2}\nsparsity: {weights: {mode: dbb, block: 8, nnz: 4}}\n",
       {},
       {"a.yaml", "sparsity.weights.block: 8 must equal tpe.b (4)"}},
      {"tpe.b too wide for 4-bit indices",
       base + "tpe: {a: 1, b: 17, c: 1}\n",
       {},
       {"a.yaml", "tpe.b: at most 16"}},
      {"dap on the WS dataflow",
       base,
       {"sparsity.activations.mode=dap", "dataflow=ws"},
       {"a.yaml", "dataflow: 'ws' is not supported yet"}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string path = tmp.write("a.yaml", c.text);
      const std::string msg = input_error([&] { load_arch(path, c.overrides); });
      check_message(msg, c.needles);
    }
  }
}

TEST_CASE("missing arch file", "[arch]") {
  TempDir tmp;
  const std::string p = tmp.path("none.yaml");
  check_message(input_error([&] { load_arch(p); }), {p + ": cannot open arch config"});
}

TEST_CASE("the systolic family declares every key it reads, with units", "[arch]") {
  // Every declared key appears in the resolved config, and nothing else does.
  const ArchConfig c = load_arch(arch("sta_dbb_2x8x2_8x4.yaml"));
  for (const auto& p : systolic_params()) {
    INFO(p.key);
    CHECK(c.values.has(p.key));
    CHECK(!p.desc.empty());
  }
  CHECK(sys(c).weights.mode == "dbb");
}

TEST_CASE("every shipped arch config loads and the S2TA points are iso-throughput", "[arch]") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(arch(""))) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path().string());
    CHECK_NOTHROW(load_arch(e.path().string()));
    ++n;
  }
  CHECK(n >= 18);
  // SA-ZVCG and S2TA-W/A/AW: 1024 multipliers each (rows x cols x A x C x multipliers per dot product).
  for (const char* node : {"16nm", "65nm"}) {
    const ArchConfig zvcg = load_arch(arch(std::string("sa_zvcg_32x32_") + node + ".yaml"));
    const ArchConfig w = load_arch(arch(std::string("s2ta_w_4x8x4_8x8_") + node + ".yaml"));
    const ArchConfig aw = load_arch(arch(std::string("s2ta_aw_4x1x4_8x8_") + node + ".yaml"));
    CHECK(zvcg.tech == node);
    CHECK(sys(zvcg).rows * sys(zvcg).cols == 1024);
    CHECK(sys(w).rows * sys(w).cols * sys(w).tpe_a * sys(w).tpe_c * 1 == 1024);  // vdbb: one multiplier per dot product
    CHECK(sys(aw).rows * sys(aw).cols * sys(aw).tpe_a * sys(aw).tpe_c == 1024);  // S2TA TPE: one multiplier per (a, c)
    CHECK(sys(aw).activations.mode == "dap");
  }
}
