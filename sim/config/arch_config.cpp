#include "sim/config/arch_config.h"

namespace npusim {

const char* to_string(Dataflow d) {
  return d == Dataflow::OS ? "os" : "ws";
}

namespace {
nlohmann::json sparsity_json(const SparsityConfig& s) {
  return {{"mode", s.mode}, {"block", s.block}, {"nnz", s.nnz}};
}
}  // namespace

nlohmann::json ArchConfig::to_json() const {
  nlohmann::json j;  // nlohmann::json keeps keys sorted; the nesting mirrors the YAML schema
  j["name"] = name;
  j["family"] = family;
  j["clock_mhz"] = clock_mhz;
  j["tech"] = tech;
  j["array"] = {{"rows", rows}, {"cols", cols}};
  j["tpe"] = {{"a", tpe_a}, {"b", tpe_b}, {"c", tpe_c}};
  j["dataflow"] = to_string(dataflow);
  j["sparsity"] = {{"weights", sparsity_json(weights)}, {"activations", sparsity_json(activations)}};
  j["im2col"] = im2col;
  j["im2col_slots"] = im2col_slots ? im2col_slots : int64_t{3} * rows * tpe_a + 1;
  j["buffers"] = {{"act_kib", act_kib}, {"wgt_kib", wgt_kib}, {"out_kib", out_kib}};
  j["dram"] = {{"bytes_per_cycle", dram_bytes_per_cycle}};
  j["precision"] = {{"act_bits", act_bits}, {"wgt_bits", wgt_bits}, {"acc_bits", acc_bits}};
  j["vector"] = {{"lanes", vector_lanes}};
  return j;
}

}  // namespace npusim
