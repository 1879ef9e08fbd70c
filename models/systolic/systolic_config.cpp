#include "models/systolic/systolic_config.h"

#include "sim/common/error.h"

namespace npusim {

const char* to_string(Dataflow d) {
  return d == Dataflow::OS ? "os" : "ws";
}

std::vector<ParamSpec> systolic_params() {
  using K = ParamKind;
  const double big = 2147483647.0;
  auto sparsity = [&](const std::string& side, std::vector<std::string> modes) {
    return std::vector<ParamSpec>{
        {"sparsity." + side + ".mode", K::Choice, "dense", false, 0, 0, modes, "", side + " sparsity scheme"},
        {"sparsity." + side + ".block", K::Integer, "8", false, 1, big, {}, "elements", "sparsity block size"},
        {"sparsity." + side + ".nnz", K::Integer, "", false, 1, big, {}, "elements",
         "non-zeros kept per block (default: the block)"}};
  };
  std::vector<ParamSpec> p = {
      {"array.rows", K::Integer, "", true, 1, big, {}, "PEs", "rows of (tensor) PEs"},
      {"array.cols", K::Integer, "", true, 1, big, {}, "PEs", "columns of (tensor) PEs"},
      {"tpe.a", K::Integer, "1", false, 1, big, {}, "", "tensor PE: activation rows (A)"},
      {"tpe.b", K::Integer, "1", false, 1, big, {}, "", "tensor PE: dot-product length (B)"},
      {"tpe.c", K::Integer, "1", false, 1, big, {}, "", "tensor PE: weight columns (C)"},
      {"dataflow", K::Choice, "os", false, 0, 0, {"os", "ws"}, "", "output- or weight-stationary"},
      {"im2col", K::Choice, "software", false, 0, 0, {"software", "hardware"}, "", "IM2COL in software or the unit"},
      {"im2col_slots", K::Integer, "", false, 1, big, {}, "pixel blocks",
       "IM2COL register slots per bank (default 3 x activation rows + 1)"},
      {"buffers.act_kib", K::Integer, "512", false, 1, big, {}, "KiB", "activation SRAM"},
      {"buffers.wgt_kib", K::Integer, "512", false, 1, big, {}, "KiB", "weight SRAM"},
      {"buffers.out_kib", K::Integer, "256", false, 1, big, {}, "KiB", "output SRAM"},
  };
  for (auto& s : sparsity("weights", {"dense", "dbb", "vdbb"})) p.push_back(s);
  for (auto& s : sparsity("activations", {"dense", "zvcg", "dap"})) p.push_back(s);
  return p;
}

namespace {

SparsityConfig read_sparsity(ParamValues& v, const std::string& side) {
  const std::string key = "sparsity." + side;
  SparsityConfig s;
  s.mode = v.str(key + ".mode");
  s.block = static_cast<int>(v.integer(key + ".block"));
  if (!v.has(key + ".nnz")) v.resolve(key + ".nnz", s.block);
  s.nnz = static_cast<int>(v.integer(key + ".nnz"));
  if (s.nnz > s.block)
    v.fail(key + ".nnz", "nnz (" + std::to_string(s.nnz) + ") exceeds the block size (" + std::to_string(s.block) + ")");
  return s;
}

}  // namespace

std::shared_ptr<const SystolicConfig> configure_systolic(ParamValues& v) {
  auto c = std::make_shared<SystolicConfig>();
  c->rows = static_cast<int>(v.integer("array.rows"));
  c->cols = static_cast<int>(v.integer("array.cols"));
  c->tpe_a = static_cast<int>(v.integer("tpe.a"));
  c->tpe_b = static_cast<int>(v.integer("tpe.b"));
  c->tpe_c = static_cast<int>(v.integer("tpe.c"));
  c->dataflow = v.str("dataflow") == "ws" ? Dataflow::WS : Dataflow::OS;
  c->weights = read_sparsity(v, "weights");
  c->activations = read_sparsity(v, "activations");
  c->im2col = v.str("im2col");
  const int64_t act_rows = int64_t{c->rows} * c->tpe_a;
  if (!v.has("im2col_slots")) v.resolve("im2col_slots", 3 * act_rows + 1);
  c->im2col_slots = v.integer("im2col_slots");
  c->act_kib = v.integer("buffers.act_kib");
  c->wgt_kib = v.integer("buffers.wgt_kib");
  c->out_kib = v.integer("buffers.out_kib");

  // What the models implement.
  auto unsupported = [&](const std::string& key, const std::string& value, const std::string& why) {
    v.fail(key, "'" + value + "' is not supported yet (" + why + ")");
  };
  const bool dap = c->activations.mode == "dap";
  const bool scalar = c->tpe_a == 1 && c->tpe_b == 1 && c->tpe_c == 1 && c->weights.mode == "dense" && !dap;
  if (c->activations.mode == "zvcg" && c->dataflow == Dataflow::WS)
    unsupported("sparsity.activations.mode", "zvcg", "gating is counted at the OS array's operand edge");
  if (dap) {
    // The S2TA time-unrolled TPE: one activation (and its index) per row and cycle.
    if (c->tpe_b != 1)
      v.fail("tpe.b", "must be 1 with sparsity.activations.mode dap (the S2TA TPE takes one non-zero activation per "
                      "row and cycle), got " + std::to_string(c->tpe_b));
    if (c->weights.mode == "vdbb")
      unsupported("sparsity.weights.mode", "vdbb", "with dap activations, weights are dense or dbb");
    if (c->weights.mode == "dbb" && c->weights.block != c->activations.block)
      v.fail("sparsity.weights.block", std::to_string(c->weights.block) + " must equal sparsity.activations.block (" +
                                           std::to_string(c->activations.block) + ") for dap activations");
    if (c->activations.block > 16)
      v.fail("sparsity.activations.block", "at most 16 (4-bit indices), got " + std::to_string(c->activations.block));
    if (c->im2col == "hardware") unsupported("im2col", "hardware", "the DAP unit reads software-im2col blocks");
    if (c->dataflow == Dataflow::WS) unsupported("dataflow", "ws", "the S2TA TPE is output-stationary");
  }
  if (c->dataflow == Dataflow::WS && !scalar)
    unsupported("dataflow", "ws", "the weight-stationary dataflow has scalar dense PEs only");
  if (c->im2col == "hardware" && c->dataflow == Dataflow::WS)
    unsupported("im2col", "hardware", "the IM2COL unit feeds the streamed activation rows of the OS dataflow");
  if (c->im2col == "hardware" && c->im2col_slots < act_rows + 1)
    v.fail("im2col_slots", "at least activation rows + 1 = " + std::to_string(act_rows + 1) +
                               " (one kernel column of pixels plus the pad slot), got " + std::to_string(c->im2col_slots));
  // The sparse PEs' weight indices are 4 bits wide.
  if (c->tpe_b > 16) v.fail("tpe.b", "at most 16 (4-bit DBB indices), got " + std::to_string(c->tpe_b));
  if (c->weights.mode != "dense" && !dap && c->weights.block != c->tpe_b)
    v.fail("sparsity.weights.block", std::to_string(c->weights.block) + " must equal tpe.b (" +
                                         std::to_string(c->tpe_b) + ") for " + c->weights.mode + " weights");
  return c;
}

}  // namespace npusim
