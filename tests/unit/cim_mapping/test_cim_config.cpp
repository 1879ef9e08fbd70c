// The cim config section through the generic loader (the family registers from npusim_models).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "models/cim/cim_config.h"
#include "sim/config/arch_loader.h"
#include "tests/unit/workload/test_util.h"

using namespace npusim;
using npusim::cim::CimConfig;
using npusim::test::check_message;
using npusim::test::input_error;
using npusim::test::TempDir;

namespace {
const char* kMinimal = "name: c\nfamily: cim\n";
}  // namespace

TEST_CASE("defaults are the documented assumptions", "[config]") {
  TempDir tmp;
  const ArchConfig a = load_arch(tmp.write("c.yaml", kMinimal));
  const CimConfig& c = cim::cim(a);
  CHECK((c.tile_rows == 256 && c.tile_cols == 256 && c.tiles == 64 && !c.share_tiles));
  CHECK(c.g_max_us == 25.0);
  CHECK((c.dac_bits == 8 && c.pwm_slots() == 128));
  CHECK((c.adc_bits == 8 && c.adc_out_bound == 10.0));
  CHECK(c.adc_gain() == Approx(12.7));
  CHECK(c.act_sram_kib == 64);
  CHECK((c.noise_programming && c.noise_drift && c.noise_read && c.drift_compensation));
  CHECK(c.t_inference_s == 86400.0);
  CHECK(c.seed == 1);
  CHECK(a.clock_mhz == 1000.0);
  CHECK(a.to_json()["dac"]["bits"] == 8);  // resolved from precision.act_bits
}

TEST_CASE("dac bits follow the activation width, keys and overrides", "[config]") {
  TempDir tmp;
  const std::string p = tmp.write("c.yaml", kMinimal);
  const ArchConfig a = load_arch(p, {"precision.act_bits=4", "noise.read=false", "drift_compensation=false",
                                     "tile={rows: 512, cols: 128}", "tiles=7", "mapping.share_tiles=true",
                                     "seed=42", "t_inference_s=1"});
  const CimConfig& c = cim::cim(a);
  CHECK((c.dac_bits == 4 && c.pwm_slots() == 8));
  CHECK((c.noise_programming && c.noise_drift && !c.noise_read && !c.drift_compensation));
  CHECK(c.share_tiles);
  CHECK((c.tile_rows == 512 && c.tile_cols == 128 && c.tiles == 7 && c.seed == 42 && c.t_inference_s == 1.0));
  CHECK(cim::cim(load_arch(p, {"precision.act_bits=6", "dac.bits=6"})).pwm_slots() == 32);
}

TEST_CASE("bad inputs are one-line InputErrors naming file and key", "[config]") {
  TempDir tmp;
  const std::string base = kMinimal;
  struct Case {
    const char* what;
    std::string text;
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases = {
      {"zero tiles", base + "tiles: 0\n", {"c.yaml:3:", "tiles", "got '0'"}},
      {"tile rows not a number", base + "tile: {rows: many}\n", {"c.yaml:3:", "tile.rows"}},
      {"unknown key", base + "tile: {rowz: 4}\n", {"c.yaml:3:", "unknown key 'tile.rowz'"}},
      {"dac not an AnalogNets width",
       base + "precision: {act_bits: 5}\n",
       {"c.yaml", "dac.bits", "must be 8, 6 or 4", "got 5"}},
      {"dac wider than the activations",
       base + "precision: {act_bits: 4}\ndac: {bits: 6}\n",
       {"c.yaml", "dac.bits", "wider than the activations (precision.act_bits = 4)"}},
      {"ideal with noise on", base + "ideal: true\n", {"c.yaml:3:", "ideal", "noise.programming"}},
      {"ideal with a narrow DAC",
       base + "ideal: true\ndac: {bits: 4}\nnoise: {programming: false, drift: false, read: false}\n",
       {"c.yaml", "ideal", "dac.bits = precision.act_bits (8)"}},
      {"adc cycles zero", base + "adc: {cycles: 0}\n", {"c.yaml:3:", "adc.cycles"}},
      {"adc range beyond a column",
       base + "adc: {out_bound: 300}\n",
       {"c.yaml:3:", "adc.out_bound", "tile.rows = 256"}},
      {"adc range below one LSB",
       base + "adc: {bits: 4, out_bound: 20}\n",
       {"c.yaml:3:", "adc.out_bound", "more than 7 ADC codes", "adc.bits = 4"}},
      {"noise switch not a bool",
       base + "noise: {drift: maybe}\n",
       {"c.yaml:3:", "noise.drift", "true, false"}},
      {"negative time", base + "t_inference_s: -1\n", {"c.yaml:3:", "t_inference_s"}},
      {"zero g_max", base + "g_max_us: 0\n", {"c.yaml:3:", "g_max_us"}},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    const std::string p = tmp.write("c.yaml", k.text);
    check_message(input_error([&] { load_arch(p); }), k.needles);
  }
  // An override is named as such.
  const std::string p = tmp.write("c.yaml", kMinimal);
  check_message(input_error([&] { load_arch(p, {"dac.bits=5"}); }), {"--set dac.bits", "must be 8, 6 or 4"});
}
