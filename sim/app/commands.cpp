#include "sim/app/commands.h"
#include "sim/app/sweep_in_process.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/output_file.h"
#include "sim/common/seed.h"
#include "sim/config/arch_loader.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/tech_table.h"
#include "sim/driver/driver.h"
#include "sim/driver/vector_unit.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"
#include "sim/quant/npy.h"
#include "sim/report/report.h"
#include "sim/sweep/pareto.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/workload/layer_table_writer.h"
#include "sim/workload/tflite/tflite_inspect.h"
#include "sim/workload/tflite/tflite_network.h"
#include "sim/workload/tflite/tflite_reader.h"
#include "sim/workload/workload_loader.h"

#ifndef NPUSIM_SOURCE_DIR
#define NPUSIM_SOURCE_DIR "."
#endif

namespace npusim::app {

namespace {

Backend parse_backend(const std::string& s) {
  if (s == "model") return Backend::Model;
  if (s == "rtl") return Backend::Rtl;
  if (s == "lockstep") return Backend::Lockstep;
  throw InputError("--backend: expected model, rtl or lockstep, got '" + s + "'");
}

int cmd_run(const std::string& arch_path, const std::string& workload, const RunOptions& opts,
            const std::vector<std::string>& sets, const std::string& json, const std::string& csv) {
  const ArchConfig arch = load_arch(arch_path, sets);
  const Network net = load_workload(workload);
  const RunReport rep = run_network(arch, net, opts);
  print_table(std::cout, rep);
  if (!json.empty()) write_json(json, rep);
  if (!csv.empty()) write_csv(csv, rep);
  return rep.total.failed ? 1 : 0;
}

// A random GEMM (M x K by K x N) as a one-layer network (an fc layer of batch M) in lockstep.
int cmd_cosim_gemm(const std::string& arch_path, const std::string& gemm, RunOptions opts,
                   const std::vector<std::string>& sets) {
  const ArchConfig arch = load_arch(arch_path, sets);
  int64_t m = 0, k = 0, n = 0;
  char c1 = 0, c2 = 0;
  std::istringstream ss(gemm);
  if (!(ss >> m >> c1 >> k >> c2 >> n) || c1 != ',' || c2 != ',' || !ss.eof() || m < 1 || k < 1 || n < 1)
    throw InputError("--gemm: expected M,K,N with positive integers, got '" + gemm + "'");
  Network net;
  net.name = "gemm";
  net.source = "--gemm " + gemm;
  net.layers.push_back(
      gemm_layer("gemm_" + std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n), m, k, n));
  net.chained = false;
  net.independent_reason = "one random GEMM";
  opts.backend.backend = Backend::Lockstep;
  const RunReport rep = run_network(arch, net, opts);
  const LayerStats& st = rep.layers.at(0);
  std::cout << fmt::format(
      "cosim {} on {} ({} {}), seed {}: lockstep of {} clean over {} cycles; {} cycles for the job; golden "
      "check: {}\n",
      gemm, arch.name, arch.family, rep.summary, opts.seed, rep.lockstep_blocks, rep.lockstep_cycles,
      st.cycles, st.verify_note);
  return st.verified ? 0 : 1;
}

void list_dir(const std::string& dir, const std::string& ext) {
  std::vector<std::string> names;
  if (std::filesystem::is_directory(dir))
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      if (e.path().extension() == ext)
        names.push_back(std::filesystem::relative(e.path(), NPUSIM_SOURCE_DIR).string());
  std::sort(names.begin(), names.end());
  for (const auto& n : names) std::cout << "  " << n << "\n";
}

void list_tech() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(std::string(NPUSIM_SOURCE_DIR) + "/configs/tech"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const cost::TechTable t = cost::TechTable::load(f.string());
    std::cout << "technology table " << fs::relative(f, NPUSIM_SOURCE_DIR).string() << " (" << t.node()
              << "):\n";
    for (const auto& r : t.rows())
      std::cout << fmt::format("  {:<12} {:<20} {:>10.5g} {:<12} at {:<6} -> {:>10.5g} at {}  [{}]\n",
                               r.section, r.name, r.value, r.unit, r.at, r.scaled, t.node(), r.source);
  }
}

// Table-based area of a configuration, and with --synth the yosys estimate of its array core beside it.
int cmd_area(const std::string& arch_path, const std::vector<std::string>& sets) {
  const ArchConfig arch = load_arch(arch_path, sets);
  const cost::TechTable tech = cost::TechTable::for_node(arch.tech, arch.source);
  const Family& family = family_of(arch);
  std::vector<cost::InventoryItem> inventory = family.area_inventory(arch);
  for (auto& it : vector_unit_inventory(arch)) inventory.push_back(it);
  const cost::AreaReport a = cost::price_area(tech, family.memories(arch), inventory);
  std::cout << fmt::format("area of {} ({} {}, {}) from {}:\n", arch.name, arch.family, family.summary(arch),
                           arch.tech, tech.path());
  double total = 0;
  for (const auto& [k, v] : a.by_category_um2) total += v;
  for (const auto& [k, v] : a.by_category_um2)
    std::cout << fmt::format("  {:<24} {:>14.0f} um2  {:>5.1f} %\n", k, v,
                             total > 0 ? 100.0 * v / total : 0.0);
  std::cout << fmt::format("  {:<24} {:>14.0f} um2  = {:.4f} mm2 (logic {:.4f} mm2, SRAM {:.4f} mm2)\n",
                           "total", total, a.total_mm2(), a.logic_um2 * 1e-6, a.sram_um2 * 1e-6);
  return 0;
}

// The array core synthesized with yosys, beside the table-based area of the same components.
int cmd_area_synth(const std::string& arch_path, const std::vector<std::string>& sets,
                   const std::string& dir) {
  const ArchConfig arch = load_arch(arch_path, sets);
  const Family& family = family_of(arch);
  const std::optional<cost::SynthSpec> found = family.synth_spec(arch);
  if (!found) throw InputError(arch.source + ": family " + arch.family + " has no RTL to synthesize");
  cost::SynthSpec spec = *found;
  spec.work_dir = dir;
  std::cout << "yosys: " << cost::yosys_version() << " (synthesizing " << spec.top
            << ", this can take minutes)\n";
  const cost::SynthResult r = cost::synth_area(spec, arch.tech);
  const cost::TechTable tech = cost::TechTable::for_node(arch.tech, arch.source);
  double table_core = 0;
  const std::vector<std::string> core = family.synth_categories();
  for (const auto& it : family.area_inventory(arch))
    if (std::find(core.begin(), core.end(), it.category) != core.end())
      table_core += it.count * tech.area_um2(it.component);
  std::cout << fmt::format(
      "compute core {} (yosys, {:.1f} s): {} cells, {} flip-flops, {} transistors -> {:.0f} um2 "
      "at {} ({:.4f} mm2); tech table: {:.0f} um2 (ratio yosys / table {:.2f}); log {}\n",
      spec.top, r.runtime_s, r.cells, r.flip_flops, r.transistors, r.area_um2, r.node, r.area_um2 * 1e-6,
      table_core, table_core > 0 ? r.area_um2 / table_core : 0.0, r.log_path);
  return 0;
}

// Prints a TFLite model's graph as the importer reads it (nothing is simulated).
int cmd_inspect(const std::string& model_path, const std::string& table_path) {
  const Network net = load_tflite_network(model_path);
  check_writable("--layer-table", table_path);
  print_tflite_inspect(net, std::cout);
  if (!table_path.empty()) {
    std::ostringstream table;
    write_layer_table(net, table);
    write_atomically(table_path, table.str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"npusim: cycle-accurate simulator of edge DNN accelerators"};
  app.require_subcommand(1);
  std::string arch, workload, backend = "model", json, csv, gemm, layer, vcd;
  std::string seed_text = "1";
  bool fast = false;
  int w_nnz = 0, a_nnz = 0;
  std::vector<std::string> sets;

  auto* run = app.add_subcommand("run", "run a workload on an accelerator and report per-layer cost");
  run->add_option("--arch", arch, "arch config YAML")->required();
  run->add_option("--workload", workload,
                  "workload: CSV (npusim or SCALE-Sim format) or an INT8 .tflite model")
      ->required();
  run->add_option("--backend", backend, "model | rtl | lockstep");
  run->add_flag("--fast", fast,
                "closed forms: cycles, traffic and energy with assumed operand activity, no tensor values, no "
                "cycle simulation");
  bool values = false;
  run->add_flag("--values", values, "with --fast: also compute every tensor on the golden ops");
  run->add_option("--seed", seed_text, "seed of every random stream (tensors, quantization parameters)");
  run->add_option("--json", json, "write the JSON report here");
  run->add_option("--csv", csv, "write the per-layer CSV here");
  run->add_option("--set", sets, "override an arch key, e.g. --set array.rows=32");
  run->add_option("--layer", layer, "run only this layer");
  std::vector<std::string> input_npys;
  std::string output_npy, dump_dir;
  run->add_option("--input", input_npys,
                  "network input tensor (.npy; chained workloads; a model's: its input dtype and shape, one "
                  "--input per model input)");
  std::string rounding = "double";
  run->add_option("--rounding", rounding,
                  "conv/fc requantization: double (TFLite reference kernels) or single (runtimes built with "
                  "TFLITE_SINGLE_ROUNDING)")
      ->check(CLI::IsMember({"single", "double"}));
  std::string kernels = "reference", lstm = "tflm";
  run->add_option(
         "--kernels", kernels,
         "a model's golden kernels where TFLite's differ: reference (register_ref) or builtin (the default "
         "optimized kernels on x86/wasm: conv/fc round once through ruy, table softmax)")
      ->check(CLI::IsMember({"reference", "builtin"}));
  run->add_option(
         "--lstm", lstm,
         "a model's integer LSTM: tflm (TFLite Micro), tflite, or tflite-2021 (before TFLite's hidden "
         "zero-point fix)")
      ->check(CLI::IsMember({"tflm", "tflite", "tflite-2021"}));
  run->add_option("--output", output_npy, "write the network's final tensor here (.npy)");
  std::string compare_npy;
  run->add_option("--compare-output", compare_npy,
                  "compare the network's final tensor with this .npy (e.g. the same design's noise-free "
                  "--output): error statistics, SNR and arg-max agreement in the report");
  bool independent = false;
  run->add_flag(
      "--independent", independent,
      "run every layer on tensors drawn from the seed (act:<layer>, with the table's a_density) even if "
      "the workload chains");
  run->add_option("--dump-tensors", dump_dir,
                  "write every layer's output tensor into this directory (<layer>.npy)");
  run->add_option("--w-nnz", w_nnz,
                  "sparse models: every conv/fc layer has N non-zero weights per block (1..block)")
      ->check(CLI::Range(1, 15));
  run->add_option(
         "--a-nnz", a_nnz,
         "run-time activation pruning designs: keep N activations per block in every conv/fc layer (1..16)")
      ->check(CLI::Range(1, 16));
  run->add_option("--vcd", vcd, "rtl/lockstep: port-level VCD of the array (large!)");

  auto* cosim = app.add_subcommand("cosim", "lockstep the SystemC model against the Verilated RTL");
  cosim->add_option("--arch", arch, "arch config YAML")->required();
  auto* g = cosim->add_option("--gemm", gemm, "random GEMM M,K,N");
  auto* w = cosim->add_option("--workload", workload, "workload CSV");
  g->excludes(w);
  cosim->add_option("--layer", layer, "with --workload: only this layer");
  cosim->add_option("--seed", seed_text, "seed (0 .. 2^64-1)");
  cosim->add_option("--vcd", vcd, "VCD of both sides' ports (RTL internals go to <file>.rtl.vcd)");
  cosim->add_option("--set", sets, "override an arch key");

  auto* list = app.add_subcommand(
      "list", "list accelerator families, shipped arch configs, workloads and tech tables");

  bool synth = false;
  std::string synth_dir;
  auto* area =
      app.add_subcommand("area", "area of a configuration from its tech table (and from yosys with --synth)");
  area->add_option("--arch", arch, "arch config YAML")->required();
  area->add_option("--set", sets, "override an arch key");
  area->add_flag("--synth", synth, "also synthesize the array core with yosys and estimate its area");
  area->add_option("--synth-dir", synth_dir, "with --synth: keep the yosys script and log here");

  std::string model_path;
  auto* inspect =
      app.add_subcommand("inspect", "print a .tflite model's operators, shapes, quantization and MACs");
  inspect->add_option("model", model_path, "INT8 .tflite model")->required();
  std::string table_path;
  inspect->add_option(
      "--layer-table", table_path,
      "also write the model's layers as an npusim workload CSV (its array, pooling and add layers)");

  // `npusim sweep SPEC [--jobs N] [--db FILE] [--shard i/N]` and `npusim sweep merge --db INTO SHARD...`.
  SweepCommand sweep_cmd;
  auto* sweep = app.add_subcommand("sweep", "run a design-space sweep spec into an SQLite result database");
  sweep->add_option("spec", sweep_cmd.spec, "sweep spec (configs/sweeps/*.yaml)");
  sweep->add_option("--jobs", sweep_cmd.jobs,
                    "points at a time: threads for fast points, worker processes for cycle-model points "
                    "(default 1)");
  sweep->add_option("--db", sweep_cmd.db, "result database (default <spec name>.sqlite)");
  bool isolate = false;
  sweep->add_flag("--isolate", isolate,
                  "run fast points as worker processes too (a crash costs one point; slower)");
  sweep->add_option("--shard", sweep_cmd.shard, "run the deterministic i-th of N shares of the points (i/N)");
  std::string merge_into;
  std::vector<std::string> merge_shards;
  auto* merge_cmd = sweep->add_subcommand("merge", "merge shard databases into one (idempotent)");
  merge_cmd->add_option("--db", merge_into, "the merged database")->required();
  merge_cmd->add_option("shards", merge_shards, "shard databases")->required();
  std::string report_db, report_x = "area_mm2", report_y = "tops_per_w_core_effective", report_csv;
  auto* report_cmd = sweep->add_subcommand("report", "the Pareto front of a sweep database (table, CSV)");
  report_cmd->add_option("db", report_db, "sweep database")->required();
  report_cmd->add_option("--x", report_x, "first objective (default area_mm2, minimized)");
  report_cmd->add_option("--y", report_y, "second objective (default tops_per_w_core_effective, maximized)");
  report_cmd->add_option("--csv", report_csv,
                         "write every point with its front flag here (scripts/sweep_plot.py)");

  // Families' own commands: `npusim <family> <command> --option value ...`.
  std::map<std::string, std::string> family_values;
  std::vector<std::pair<CLI::App*, const FamilyCommand*>> family_commands;
  std::vector<std::vector<FamilyCommand>> command_lists;
  std::string known = "run, cosim, list, area, inspect, sweep";
  std::set<std::string> subcommands = {"run", "cosim", "list", "area", "inspect", "sweep"};
  for (const std::string& name : family_names()) {
    command_lists.push_back(find_family(name)->commands());
    if (command_lists.back().empty()) continue;
    auto* fam = app.add_subcommand(name, "commands of the " + name + " family");
    fam->require_subcommand(1);
    known += ", " + name;
    subcommands.insert(name);
    for (const FamilyCommand& c : command_lists.back()) {
      auto* sc = fam->add_subcommand(c.name, c.description);
      for (const auto& [opt, help] : c.options) {
        auto* o = sc->add_option(opt, family_values[opt], help);
        if (std::find(c.required.begin(), c.required.end(), opt) != c.required.end()) o->required();
      }
      family_commands.emplace_back(sc, &c);
    }
  }

  if (argc > 1 && argv[1][0] != '-') {
    const std::string sub = argv[1];
    if (!subcommands.count(sub))
      throw InputError("unknown subcommand '" + sub + "' (expected " + known + ")");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "npusim: error: " << e.what() << "\n";
    return 2;
  }
  for (const auto& [sc, c] : family_commands)
    if (*sc) {
      std::map<std::string, std::string> given;
      for (const auto& [opt, help] : c->options)
        if (sc->count(opt)) given[opt] = family_values[opt];
      return c->run(given);
    }
  // Bad arguments and unwritable outputs are reported before any simulation time is spent.
  const uint64_t seed = parse_seed(seed_text);
  check_writable("--json", json);
  check_writable("--csv", csv);
  check_writable("--vcd", vcd);
  check_writable("--output", output_npy);

  RunOptions opts;
  opts.seed = seed;
  if (values && !fast)
    throw InputError("--values: only with --fast (without it every tensor is computed and simulated)");
  opts.fast = fast;
  opts.values = values;
  opts.backend.backend = parse_backend(backend);
  opts.backend.vcd_path = vcd;
  opts.only_layer = layer;
  opts.mapping.w_nnz = w_nnz;
  opts.mapping.a_nnz = a_nnz;
  if (!input_npys.empty()) {
    opts.input_npy = input_npys.front();
    opts.more_inputs.assign(input_npys.begin() + 1, input_npys.end());
  }
  opts.output_npy = output_npy;
  if (!compare_npy.empty()) (void)quant::read_npy_value(compare_npy);  // a bad file fails before any run
  opts.compare_npy = compare_npy;
  opts.dump_dir = dump_dir;
  opts.independent = independent;
  opts.rounding = rounding;
  opts.kernels = kernels;
  opts.lstm = lstm;
  if (!dump_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dump_dir, ec);
    check_writable_dir("--dump-tensors", dump_dir);
  }
  if (*inspect) return cmd_inspect(model_path, table_path);
  if (*merge_cmd) return merge_sweeps(merge_into, merge_shards);
  if (*report_cmd) {
    check_writable("--csv", report_csv);
    return report_sweep(report_db, {report_x, report_y}, report_csv);
  }
  if (*sweep) {
    if (sweep_cmd.spec.empty())
      throw InputError("sweep: give a spec file (configs/sweeps/*.yaml) or 'merge'");
    std::error_code ec;
    sweep_cmd.npusim = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) sweep_cmd.npusim = argv[0];
    if (!isolate) sweep_cmd.in_process = make_in_process_run();
    return run_sweep(sweep_cmd);
  }
  if (*run) return cmd_run(arch, workload, opts, sets, json, csv);
  if (*cosim) {
    if (!gemm.empty()) return cmd_cosim_gemm(arch, gemm, opts, sets);
    if (workload.empty()) throw InputError("cosim: give --gemm M,K,N or --workload FILE");
    opts.backend.backend = Backend::Lockstep;
    return cmd_run(arch, workload, opts, sets, "", "");
  }
  if (*list) {
    auto print_params = [](const std::vector<ParamSpec>& params) {
      for (const auto& p : params) {
        std::string values = p.def.empty() ? (p.required ? "required" : "derived") : p.def;
        if (p.kind == ParamKind::Choice) {
          values += " (";
          for (size_t i = 0; i < p.choices.size(); ++i) values += (i ? "|" : "") + p.choices[i];
          values += ")";
        }
        std::cout << fmt::format("    {:<28} {:<26} {:<12} {}\n", p.key, values, p.unit, p.desc);
      }
    };
    std::cout << "common config keys:\n";
    print_params(common_params());
    std::cout << "families:\n";
    for (const auto& name : family_names()) {
      const Family& f = *find_family(name);
      std::cout << "  " << name << ": " << f.description() << "\n";
      print_params(f.params());
    }
    std::cout << "arch configs:\n";
    list_dir(std::string(NPUSIM_SOURCE_DIR) + "/configs/arch", ".yaml");
    std::cout << "workloads:\n";
    list_dir(std::string(NPUSIM_SOURCE_DIR) + "/workloads", ".csv");
    list_tech();
    return 0;
  }
  if (*area) {
    const int rc = cmd_area(arch, sets);
    if (rc == 0 && synth) return cmd_area_synth(arch, sets, synth_dir);
    return rc;
  }
  return 2;
}

}  // namespace npusim::app
