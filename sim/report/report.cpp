#include "sim/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sim/common/error.h"
#include "sim/common/output_file.h"

namespace npusim {

namespace {

std::string verified_cell(const LayerStats& st, const RunReport& rep) {
  if (st.unit != "array" || rep.fast) return "n/a";
  if (!st.exact_compare) return "stat";
  return st.verified ? "yes" : "FAIL";
}

// Long names (a model's tensor names) keep their informative end.
std::string short_name(const std::string& n, size_t width) {
  return n.size() <= width ? n : "~" + n.substr(n.size() - (width - 1));
}

std::string percent(double f) {
  return f < 0 ? "-" : fmt::format("{:.1f}", 100.0 * f);
}

std::string csv_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string kib(int64_t bytes) {
  return fmt::format("{:.1f}", bytes / 1024.0);
}

}  // namespace

void print_table(std::ostream& os, const RunReport& rep) {
  const auto& a = rep.arch;
  os << fmt::format("npusim run: arch {} ({} {}, {} MHz)  workload {}  backend {}  seed {}\n", a.name,
                    a.family, rep.summary, a.clock_mhz, rep.workload, rep.backend, rep.seed);
  os << "execution: " << rep.execution
     << (rep.execution == "chained"
             ? " (each layer reads its producers' outputs as the accelerator computed them)"
             : " (" + rep.execution_reason + ")")
     << (rep.values ? "" : "; --fast: no tensor values computed") << "\n";
  os << fmt::format(
      "{:<24} {:<7} {:<30} {:<6} {:>13} {:>13} {:>9} {:>12} {:>7} {:>10} {:>12} {:>12} {:>10} {:>10} {:>6} "
      "{:>8} {:>8}\n",
      "layer", "op", "shape", "unit", "macs", "exec_macs", "detail", "cycles", "util_%", "stall_cyc",
      "sram_rd_kib", "sram_wr_kib", "dram_kib", "energy_uj", "sat_%", "a_dens_%", "verified");
  for (const auto& st : rep.layers) {
    int64_t rd = 0, wr = 0;
    for (const auto& [k, v] : st.sram_read_bytes) rd += v;
    for (const auto& [k, v] : st.sram_write_bytes) wr += v;
    os << fmt::format(
        "{:<24} {:<7} {:<30} {:<6} {:>13} {:>13} {:>9} {:>12} {:>7.1f} {:>10} {:>12} {:>12} {:>10} {:>10.2f} "
        "{:>6} {:>8} {:>8}\n",
        short_name(st.name, 24), st.op.substr(0, 7), st.shape.substr(0, 30), st.unit, st.macs,
        st.executed_macs, st.detail.empty() ? "-" : st.detail, st.cycles, 100.0 * st.utilization,
        st.stall_cycles, kib(rd), kib(wr), kib(st.dram_bytes()), st.energy_total_pj * 1e-6,
        percent(st.saturated_fraction), percent(st.input_density), verified_cell(st, rep));
  }
  for (const auto& st : rep.layers)
    for (const auto& n : st.notes) os << "note: " << st.name << ": " << n << "\n";
  const auto& t = rep.total;
  // A pipelined design's layers run at their parts' clocks: its time is in the pipeline lines.
  const std::string time = t.pipeline.empty()
                               ? fmt::format("{:.4f} ms at {} MHz", t.latency_s * 1e3, a.clock_mhz)
                               : fmt::format("latency {:.4f} ms (pipelined)", t.latency_s * 1e3);
  os << fmt::format(
      "total: {} layers, {} MACs, {} cycles, {}, utilization {:.1f} %, {} stall cycles, {:.2f} MiB DRAM, "
      "{:.3f} TOPS\n",
      rep.layers.size(), t.macs, t.cycles, time, 100.0 * t.utilization, t.stall_cycles,
      t.dram_bytes / 1048576.0, t.tops);
  if (!t.pipeline.empty()) {
    os << fmt::format(
        "pipeline: {} parts working on consecutive frames: frame period {:.4f} ms ({:.1f} frames/s), "
        "latency {:.4f} ms, {:.3f} TOPS in steady state\n",
        t.pipeline.size(), t.frame_period_s * 1e3, 1.0 / t.frame_period_s, t.latency_s * 1e3, t.tops);
    for (const auto& p : t.pipeline)
      os << fmt::format(
          "  part {}: {} layers from {}, {} cycles at {} MHz = {:.4f} ms per frame, idle {:.4f} ms "
          "({:.1f} %) of each period; {:.3f} TOPS while busy, {:.2f} TOPS/W ({:.2f} core), {:.4f} mm2\n",
          p.name, p.layers, p.first_layer, p.frame_cycles, p.clock_mhz, p.frame_s * 1e3, p.idle_s * 1e3,
          100.0 * p.idle_s / t.frame_period_s, p.tops, p.tops_per_w, p.tops_per_w_core, p.area_mm2);
  }
  // Where the layers that are not on the array run, and what they cost.
  int64_t vec_layers = 0, vec_cycles = 0;
  std::string host;
  for (const auto& st : rep.layers) {
    if (st.unit == "vector") ++vec_layers, vec_cycles += st.cycles;
    if (st.unit == "host") host += (host.empty() ? "" : ", ") + st.op;
  }
  if (vec_layers)
    os << fmt::format(
        "vector unit: {} layers (pooling, elementwise, activations, data movement) run on the {}-lane vector "
        "unit "
        "next to the array, {} cycles ({:.1f} % of the total)\n",
        vec_layers, a.vector_lanes, vec_cycles, t.cycles ? 100.0 * vec_cycles / t.cycles : 0.0);
  if (!host.empty()) os << "host: " << host << " (golden ops, not in the accelerator's cycles or energy)\n";
  // Energy and area: the largest categories first.
  auto top = [](const std::map<std::string, double>& m, double total) {
    std::vector<std::pair<double, std::string>> v;
    for (const auto& [k, x] : m) v.emplace_back(x, k);
    std::sort(v.rbegin(), v.rend());
    std::string s;
    for (const auto& [x, k] : v) {
      if (total <= 0 || x / total < 0.005) continue;
      s += fmt::format("{}{} {:.1f} %", s.empty() ? "" : ", ", k, 100.0 * x / total);
    }
    return s;
  };
  os << fmt::format("energy: {:.2f} uJ{} ({:.2f} uJ core, without DRAM): {}\n", t.energy_pj * 1e-6,
                    t.energy_estimated ? " estimated (--fast: operand activity assumed, no zero gating)" : "",
                    t.energy_core_pj * 1e-6, top(t.energy_by_category_pj, t.energy_pj));
  double area_um2 = 0;
  for (const auto& [k, x] : t.area_by_category_um2) area_um2 += x;
  os << fmt::format(
      "efficiency: {:.2f} TOPS/W effective ({:.2f} core), {:.2f} TOPS/W executed ({:.2f} core), "
      "{:.3f} TOPS/mm2\n",
      t.tops_per_w_effective, t.tops_per_w_core_effective, t.tops_per_w_executed, t.tops_per_w_core_executed,
      t.tops_per_mm2);
  os << fmt::format("area: {:.3f} mm2 ({}) [{}]\n", t.area_mm2, top(t.area_by_category_um2, area_um2),
                    t.tech_table);
  if (rep.fast)
    os << (rep.values ? "verification: none (--fast --values: values from the golden ops, not simulated)\n"
                      : "verification: none (--fast: closed forms, no tensor values)\n");
  else
    os << fmt::format(
        "verification: {} array layers bit-exact vs golden, {} FAILED, {} not checked (vector unit, "
        "host){}\n",
        t.verified, t.failed, t.not_checked,
        t.statistical ? fmt::format(", {} compared as error statistics (inexact hardware)", t.statistical)
                      : "");
  if (rep.lockstep_cycles)
    os << fmt::format("lockstep: model and RTL agreed on every output port of {} for {} cycles\n",
                      rep.lockstep_blocks, rep.lockstep_cycles);
  if (!rep.compare_output.is_null()) {
    const auto& c = rep.compare_output;
    if (c.contains("changed_fraction"))
      os << fmt::format(
          "output vs {}: {:.1f} % of values differ, mean |error| {:.2f} LSB, max {} LSB, SNR {}, argmax {}\n",
          c["file"].get<std::string>(), 100.0 * c["changed_fraction"].get<double>(),
          c["mean_abs_error_lsb"].get<double>(), c["max_abs_error_lsb"].get<int64_t>(),
          c["snr_db"].is_null() ? std::string("inf") : fmt::format("{:.1f} dB", c["snr_db"].get<double>()),
          c["argmax_same"].get<bool>() ? "same" : "DIFFERENT");
    else
      os << "output vs " << c["file"].get<std::string>() << ": " << c.dump() << "\n";
  }
  if (!rep.model.is_null()) {
    const auto& m = rep.model;
    os << "model: " << m.value("file", "") << ": " << m.value("semantics", "") << ", "
       << m.value("rounding", "") << " rounding; input " << m.value("input", "") << "\n";
    if (m.contains("symmetric_requantization")) {
      const auto& q = m["symmetric_requantization"];
      os << fmt::format(
          "model: re-quantized to symmetric activations for this design (code 0 must be the real zero): {} "
          "tensors, "
          "{} biases; {} kept asymmetric (fixed output quantization)\n",
          q["tensors_changed"].get<int>(), q["biases_requantized"].get<int>(), q["kept_asymmetric"].size());
    }
    if (m.contains("weights_changed") && m["weights_changed"].get<int64_t>() > 0)
      os << fmt::format("model: the design changed {} of the model's {} array weights ({:.2f} %)\n",
                        m["weights_changed"].get<int64_t>(), m["weights_total"].get<int64_t>(),
                        100.0 * m["weights_changed"].get<double>() / m["weights_total"].get<double>());
    if (m.contains("vs_unchanged_model")) {
      const auto& v = m["vs_unchanged_model"];
      if (v.contains("changed_fraction"))
        os << fmt::format(
            "model: final output vs the unchanged model: {:.1f} % of values differ, mean |error| {:.2f} LSB, "
            "max {} "
            "LSB, argmax {}\n",
            100.0 * v["changed_fraction"].get<double>(), v["mean_abs_error_lsb"].get<double>(),
            v["max_abs_error_lsb"].get<int64_t>(), v["argmax_same"].get<bool>() ? "same" : "DIFFERENT");
      else
        os << "model: final output vs the unchanged model: " << v.dump() << "\n";
    }
  }
}

nlohmann::json to_json(const RunReport& rep) {
  nlohmann::json j;
  j["tool"] = "npusim";
  j["seed"] = rep.seed;
  j["backend"] = rep.backend;
  j["fast"] = rep.fast;
  j["workload"] = {{"name", rep.workload}, {"path", rep.workload_path}};
  j["execution"] = rep.execution;
  if (rep.execution != "chained") j["execution_reason"] = rep.execution_reason;
  j["values_computed"] = rep.values;
  j["arch"] = rep.arch.to_json();
  auto& layers = j["layers"] = nlohmann::json::array();
  for (const auto& st : rep.layers) {
    nlohmann::json l;
    l["name"] = st.name;
    l["op"] = st.op;
    if (st.model_operator >= 0) l["model_operator"] = st.model_operator;
    l["shape"] = st.shape;
    l["unit"] = st.unit;
    l["macs"] = st.macs;
    l["effective_macs"] = st.macs;
    if (st.unit == "array") l["executed_macs"] = st.executed_macs;
    l["family"] = st.family;
    if (!st.notes.empty()) l["notes"] = st.notes;
    if (st.saturated_fraction >= 0)
      l["saturated_fraction"] = st.saturated_fraction;
    else
      l["saturated_fraction"] = nullptr;
    if (st.input_density >= 0) l["input_density"] = st.input_density;
    if (st.weights_changed >= 0) {
      l["weights_changed"] = st.weights_changed;
      l["weights_total"] = st.weights_total;
    }
    l["cycles"] = st.cycles;
    l["stall_cycles"] = st.stall_cycles;
    l["prologue_cycles"] = st.prologue_cycles;
    l["utilization"] = st.utilization;
    if (st.unit == "array" && !rep.fast && st.exact_compare)
      l["verified"] = st.verified;
    else
      l["verified"] = nullptr;
    l["verify_note"] = st.verify_note;
    l["sram_read_bytes"] = nlohmann::json::object();
    l["sram_write_bytes"] = nlohmann::json::object();
    for (const auto& m : rep.memories) {
      l["sram_read_bytes"][m] = st.sram_read(m);
      l["sram_write_bytes"][m] = st.sram_write(m);
    }
    l["dram_bytes"] = st.dram_bytes();
    l["dram_read_bytes"] = st.dram_read_bytes;
    l["dram_write_bytes"] = st.dram_write_bytes;
    l["actions"] = st.actions;
    l["energy_pj"] = st.energy_pj;
    l["energy_total_pj"] = st.energy_total_pj;
    // Per layer: latency, throughput and efficiency (effective = dense-equivalent ops, executed = issued).
    const double latency_s = st.cycles / ((st.clock_mhz > 0 ? st.clock_mhz : rep.arch.clock_mhz) * 1e6);
    if (st.clock_mhz > 0) l["clock_mhz"] = st.clock_mhz;
    if (!st.dedicated_area_um2.empty()) l["dedicated_area_um2"] = st.dedicated_area_um2;
    const double dram_pj = st.energy_pj.count("DRAM") ? st.energy_pj.at("DRAM") : 0.0;
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    l["latency_s"] = latency_s;
    l["tops_effective"] = ratio(2.0 * st.macs, latency_s) * 1e-12;
    l["tops_per_w_effective"] = ratio(2.0 * st.macs, st.energy_total_pj);
    l["tops_per_w_executed"] = ratio(2.0 * st.executed_macs, st.energy_total_pj);
    l["tops_per_w_core_effective"] = ratio(2.0 * st.macs, st.energy_total_pj - dram_pj);
    l["tops_per_mm2"] = ratio(ratio(2.0 * st.macs, latency_s) * 1e-12, rep.total.area_mm2);
    layers.push_back(l);
  }
  const auto& t = rep.total;
  j["total"] = {{"cycles", t.cycles},
                {"macs", t.macs},
                {"executed_macs", t.executed_macs},
                {"stall_cycles", t.stall_cycles},
                {"dram_bytes", t.dram_bytes},
                {"utilization", t.utilization},
                {"latency_s", t.latency_s},
                {"tops", t.tops},
                {"layers_verified", t.verified},
                {"layers_failed", t.failed},
                {"layers_not_checked", t.not_checked},
                {"layers_statistical", t.statistical}};
  j["total"]["energy_pj"] = t.energy_pj;
  j["total"]["energy_core_pj"] = t.energy_core_pj;
  j["total"]["energy_by_category_pj"] = t.energy_by_category_pj;
  j["total"]["energy_estimated"] = t.energy_estimated;
  j["total"]["tops_per_w_effective"] = t.tops_per_w_effective;
  j["total"]["tops_per_w_executed"] = t.tops_per_w_executed;
  j["total"]["tops_per_w_core_effective"] = t.tops_per_w_core_effective;
  j["total"]["tops_per_w_core_executed"] = t.tops_per_w_core_executed;
  j["total"]["area_mm2"] = t.area_mm2;
  j["total"]["area_by_category_um2"] = t.area_by_category_um2;
  j["total"]["tops_per_mm2"] = t.tops_per_mm2;
  j["total"]["tech_table"] = t.tech_table;
  if (!t.pipeline.empty()) {
    j["total"]["frame_period_s"] = t.frame_period_s;
    auto& parts = j["total"]["pipeline"] = nlohmann::json::array();
    for (const auto& p : t.pipeline)
      parts.push_back({{"name", p.name},
                       {"first_layer", p.first_layer},
                       {"layers", p.layers},
                       {"clock_mhz", p.clock_mhz},
                       {"frame_cycles", p.frame_cycles},
                       {"frame_s", p.frame_s},
                       {"idle_s", p.idle_s},
                       {"macs", p.macs},
                       {"energy_pj", p.energy_pj},
                       {"tops", p.tops},
                       {"tops_per_w", p.tops_per_w},
                       {"tops_per_w_core", p.tops_per_w_core},
                       {"energy_core_pj", p.energy_core_pj},
                       {"area_mm2", p.area_mm2}});
  }
  if (rep.lockstep_cycles) {
    j["total"]["lockstep_cycles"] = rep.lockstep_cycles;
    j["total"]["lockstep_blocks"] = rep.lockstep_blocks;
  }
  if (!rep.model.is_null()) j["model"] = rep.model;
  if (!rep.compare_output.is_null()) j["compare_output"] = rep.compare_output;
  return j;
}

void write_json(const std::string& path, const RunReport& rep) {
  write_atomically(path, to_json(rep).dump(2) + "\n");
}

void write_csv(const std::string& path, const RunReport& rep) {
  std::set<std::string> mems(rep.memories.begin(), rep.memories.end());
  for (const auto& st : rep.layers) {
    for (const auto& [k, v] : st.sram_read_bytes) mems.insert(k);
    for (const auto& [k, v] : st.sram_write_bytes) mems.insert(k);
  }
  write_atomically(path, [&rep, &mems](std::ostream& f) {
    f << "name,op,shape,unit,macs,cycles,stall_cycles,utilization,verified";
    for (const auto& m : mems) f << ",sram_read_" << m << "_bytes";
    for (const auto& m : mems) f << ",sram_write_" << m << "_bytes";
    f << ",dram_bytes,energy_pj,seed\n";
    for (const auto& st : rep.layers) {
      f << csv_quoted(st.name) << "," << st.op << ",\"" << st.shape << "\"," << st.unit << "," << st.macs
        << "," << st.cycles << "," << st.stall_cycles << "," << fmt::format("{:.6f}", st.utilization) << ","
        << verified_cell(st, rep);
      for (const auto& m : mems) f << "," << st.sram_read(m);
      for (const auto& m : mems) f << "," << st.sram_write(m);
      f << "," << st.dram_bytes() << "," << fmt::format("{:.1f}", st.energy_total_pj) << "," << rep.seed
        << "\n";
    }
    const auto& t = rep.total;
    f << "TOTAL,,,," << t.macs << "," << t.cycles << "," << t.stall_cycles << ","
      << fmt::format("{:.6f}", t.utilization) << "," << std::string(2 * mems.size(), ',') << ","
      << t.dram_bytes << "," << fmt::format("{:.1f}", t.energy_pj) << "," << rep.seed << "\n";
  });
}

}  // namespace npusim
