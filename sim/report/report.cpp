#include "sim/report/report.h"

#include <fstream>

#include <fmt/format.h>

#include "sim/common/error.h"

namespace npusim {

namespace {

std::string verified_cell(const LayerStats& st, const RunReport& rep) {
  if (st.unit != "array" || rep.fast) return "n/a";
  return st.verified ? "yes" : "FAIL";
}

std::string kib(int64_t bytes) { return fmt::format("{:.1f}", bytes / 1024.0); }

}  // namespace

void print_table(std::ostream& os, const RunReport& rep) {
  const auto& a = rep.arch;
  os << fmt::format("npusim run: arch {} ({} {}x{}, {}, {} MHz)  workload {}  backend {}  seed {}\n", a.name,
                    a.family, a.rows, a.cols, a.dataflow == Dataflow::OS ? "os" : "ws", a.clock_mhz, rep.workload,
                    rep.backend, rep.seed);
  os << fmt::format("{:<18} {:<7} {:<30} {:<6} {:>13} {:>13} {:>5} {:>12} {:>7} {:>10} {:>24} {:>24} {:>10} {:>8}\n",
                    "layer", "op", "shape", "unit", "macs", "exec_macs", "w_nnz", "cycles", "util_%", "stall_cyc",
                    "sram_rd_kib act/wgt/out", "sram_wr_kib act/wgt/out", "dram_kib", "verified");
  for (const auto& st : rep.layers) {
    const std::string nnz = st.w_nnz ? std::to_string(st.w_nnz) + "/" + std::to_string(st.block) : "-";
    os << fmt::format("{:<18} {:<7} {:<30} {:<6} {:>13} {:>13} {:>5} {:>12} {:>7.1f} {:>10} {:>24} {:>24} {:>10} {:>8}\n",
                      st.name.substr(0, 18), st.op, st.shape.substr(0, 30), st.unit, st.macs, st.executed_macs, nnz,
                      st.cycles,
                      100.0 * st.utilization, st.stall_cycles,
                      kib(st.sram_read_bytes.act) + "/" + kib(st.sram_read_bytes.wgt) + "/" + kib(st.sram_read_bytes.out),
                      kib(st.sram_write_bytes.act) + "/" + kib(st.sram_write_bytes.wgt) + "/" +
                          kib(st.sram_write_bytes.out),
                      kib(st.dram_bytes()), verified_cell(st, rep));
  }
  for (const auto& st : rep.layers)
    if (st.unit == "array" && st.k_padded > st.k_dense)
      os << fmt::format("note: {}: reduction padded from {} to {} ({} blocks of {}{}); {} weight bytes stored ({} dense)\n",
                        st.name, st.k_dense, st.k_padded, st.k_padded / st.block, st.block,
                        st.w_nnz ? ", channels padded per kernel position" : "", st.weight_bytes_stored,
                        st.weight_bytes_dense);
  const auto& t = rep.total;
  os << fmt::format("total: {} layers, {} MACs, {} cycles, {:.4f} ms at {} MHz, utilization {:.1f} %, {} stall cycles, "
                    "{:.2f} MiB DRAM, {:.3f} TOPS\n",
                    rep.layers.size(), t.macs, t.cycles, t.latency_s * 1e3, a.clock_mhz, 100.0 * t.utilization,
                    t.stall_cycles, t.dram_bytes / 1048576.0, t.tops);
  if (rep.fast)
    os << "verification: none (--fast takes values from the golden ops)\n";
  else
    os << fmt::format("verification: {} array layers bit-exact vs golden, {} FAILED, {} not checked (vector unit)\n",
                      t.verified, t.failed, t.not_checked);
  if (rep.lockstep_cycles)
    os << fmt::format("lockstep: model and RTL agreed on every output port of {} for {} cycles\n", rep.lockstep_blocks,
                      rep.lockstep_cycles);
}

nlohmann::json to_json(const RunReport& rep) {
  nlohmann::json j;
  j["tool"] = "npusim";
  j["seed"] = rep.seed;
  j["backend"] = rep.backend;
  j["fast"] = rep.fast;
  j["workload"] = {{"name", rep.workload}, {"path", rep.workload_path}};
  j["arch"] = rep.arch.to_json();
  auto& layers = j["layers"] = nlohmann::json::array();
  for (const auto& st : rep.layers) {
    nlohmann::json l;
    l["name"] = st.name;
    l["op"] = st.op;
    l["shape"] = st.shape;
    l["unit"] = st.unit;
    l["macs"] = st.macs;
    l["effective_macs"] = st.macs;
    if (st.unit == "array") {
      l["executed_macs"] = st.executed_macs;
      l["block"] = st.block;
      l["w_nnz"] = st.w_nnz;
      l["k_dense"] = st.k_dense;
      l["k_padded"] = st.k_padded;
      l["weight_bytes_dense"] = st.weight_bytes_dense;
      l["weight_bytes_stored"] = st.weight_bytes_stored;
    }
    l["cycles"] = st.cycles;
    l["stall_cycles"] = st.stall_cycles;
    l["prologue_cycles"] = st.prologue_cycles;
    l["folds"] = st.folds;
    l["utilization"] = st.utilization;
    if (st.unit == "array" && !rep.fast)
      l["verified"] = st.verified;
    else
      l["verified"] = nullptr;
    l["verify_note"] = st.verify_note;
    l["sram_read_bytes"] = {{"act", st.sram_read_bytes.act}, {"wgt", st.sram_read_bytes.wgt}, {"out", st.sram_read_bytes.out}};
    l["sram_write_bytes"] = {
        {"act", st.sram_write_bytes.act}, {"wgt", st.sram_write_bytes.wgt}, {"out", st.sram_write_bytes.out}};
    l["dram_bytes"] = st.dram_bytes();
    l["dram_read_bytes"] = st.dram_read_bytes;
    l["dram_write_bytes"] = st.dram_write_bytes;
    l["actions"] = st.actions;
    layers.push_back(l);
  }
  const auto& t = rep.total;
  j["total"] = {{"cycles", t.cycles},         {"macs", t.macs}, {"executed_macs", t.executed_macs},
                {"stall_cycles", t.stall_cycles}, {"dram_bytes", t.dram_bytes},
                {"utilization", t.utilization}, {"latency_s", t.latency_s},
                {"tops", t.tops},             {"layers_verified", t.verified},
                {"layers_failed", t.failed},  {"layers_not_checked", t.not_checked}};
  if (rep.lockstep_cycles) {
    j["total"]["lockstep_cycles"] = rep.lockstep_cycles;
    j["total"]["lockstep_blocks"] = rep.lockstep_blocks;
  }
  return j;
}

void write_json(const std::string& path, const RunReport& rep) {
  std::ofstream f(path);
  if (!f) throw InputError(path + ": cannot write JSON report");
  f << to_json(rep).dump(2) << "\n";
}

void write_csv(const std::string& path, const RunReport& rep) {
  std::ofstream f(path);
  if (!f) throw InputError(path + ": cannot write CSV report");
  f << "name,op,shape,unit,macs,cycles,stall_cycles,utilization,verified,sram_read_act_bytes,sram_read_wgt_bytes,"
       "sram_read_out_bytes,sram_write_act_bytes,sram_write_wgt_bytes,sram_write_out_bytes,dram_bytes,seed\n";
  for (const auto& st : rep.layers) {
    f << st.name << "," << st.op << ",\"" << st.shape << "\"," << st.unit << "," << st.macs << "," << st.cycles << ","
      << st.stall_cycles << "," << fmt::format("{:.6f}", st.utilization) << "," << verified_cell(st, rep) << ","
      << st.sram_read_bytes.act << "," << st.sram_read_bytes.wgt << "," << st.sram_read_bytes.out << ","
      << st.sram_write_bytes.act << "," << st.sram_write_bytes.wgt << "," << st.sram_write_bytes.out << ","
      << st.dram_bytes() << "," << rep.seed << "\n";
  }
  const auto& t = rep.total;
  f << "TOTAL,,,," << t.macs << "," << t.cycles << "," << t.stall_cycles << ","
    << fmt::format("{:.6f}", t.utilization) << ",,,,,,,," << t.dram_bytes << "," << rep.seed << "\n";
}

}  // namespace npusim
