#include "sim/workload/workload_loader.h"

#include "sim/workload/tflite/tflite_network.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/text.h"
#include "sim/workload/graph.h"
#include "sim/workload/workload_csv.h"
#include "sim/workload/scalesim_loader.h"

namespace npusim {

namespace fs = std::filesystem;

namespace {

using namespace workload_csv;

// ---------------------------------------------------------------------------------------------------
// npusim CSV.

const char* const kGeometryCols[] = {"H",        "W",        "C",       "K",          "R",        "S",
                                     "stride_h", "stride_w", "pad_top", "pad_bottom", "pad_left", "pad_right",
                                     "groups",   "dilation", "out_h",   "out_w"};
const char* const kRecurrentCols[] = {"input_size", "hidden_size", "seq_len"};
const char* const kCommonCols[] = {"name",  "op",        "batch",     "w_bits",   "a_bits",   "w_nnz",
                                   "a_nnz", "w_density", "a_density", "act_file", "wgt_file", "inputs"};
constexpr char kInputSeparator = '|';
constexpr const char* kInputWord = "input";  // the network input in the 'inputs' column

bool known_column(const std::string& c) {
  for (const char* k : kGeometryCols)
    if (c == k) return true;
  for (const char* k : kRecurrentCols)
    if (c == k) return true;
  for (const char* k : kCommonCols)
    if (c == k) return true;
  return false;
}

struct OpName {
  const char* name;
  OpType op;
};
const OpName kOps[] = {{"conv", OpType::Conv},    {"dwconv", OpType::DwConv},   {"fc", OpType::Fc},
                       {"pool", OpType::MaxPool}, {"maxpool", OpType::MaxPool}, {"avgpool", OpType::AvgPool},
                       {"add", OpType::Add},      {"lstm", OpType::Lstm},       {"gru", OpType::Gru}};

// One data row of an npusim CSV, with typed, validating accessors.
class Row {
 public:
  Row(const std::string& path, int line, const std::vector<std::string>& fields,
      const std::map<std::string, size_t>& cols)
      : path_(path), line_(line), fields_(fields), cols_(cols) {}

  int line() const { return line_; }
  void set_op(const std::string& op) { op_ = op; }

  [[noreturn]] void fail_row(const std::string& msg) const { fail(path_, line_, msg); }
  [[noreturn]] void fail_col(const std::string& col, const std::string& msg) const {
    fail(path_, line_, "column '" + col + "': " + msg);
  }

  // Present in the header and non-empty in this row.
  bool has(const std::string& col) const { return !value(col).empty(); }

  const std::string& value(const std::string& col) const {
    static const std::string kEmpty;
    auto it = cols_.find(col);
    return it == cols_.end() ? kEmpty : fields_[it->second];
  }

  // Fails if a column that does not apply to this row's op is filled in.
  void must_be_empty(const std::string& col, const std::string& why = "") const {
    if (has(col))
      fail_col(col, "does not apply to op '" + op_ + "'" + (why.empty() ? "" : " (" + why + ")") +
                        ", leave it empty (got " + quote(value(col)) + ")");
  }

  void require(const std::string& col) const {
    if (cols_.find(col) == cols_.end())
      fail_row("missing column '" + col + "' (required for op '" + op_ + "')");
    if (!has(col)) fail_col(col, "required for op '" + op_ + "' but empty");
  }

  int64_t req_int(const std::string& col, int64_t lo = 1, int64_t hi = kMaxValue) const {
    require(col);
    return *opt_int(col, lo, hi);
  }

  std::optional<int64_t> opt_int(const std::string& col, int64_t lo = 1, int64_t hi = kMaxValue) const {
    if (!has(col)) return std::nullopt;
    const std::string& s = value(col);
    auto v = parse_int(s);
    if (!v || *v < lo || *v > hi) fail_col(col, "expected " + int_expectation(lo, hi) + ", got " + quote(s));
    return v;
  }

  // Optional integer that, if given, must equal `expected` (reason explains why).
  int64_t int_fixed(const std::string& col, int64_t expected, const std::string& reason) const {
    auto v = opt_int(col, 1);
    if (v && *v != expected)
      fail_col(col, "must be " + std::to_string(expected) + " for op '" + op_ + "' (" + reason + "), got " +
                        std::to_string(*v));
    return expected;
  }

  std::optional<double> opt_fraction(const std::string& col) const {
    if (!has(col)) return std::nullopt;
    const std::string& s = value(col);
    auto v = parse_double(s);
    if (!v || *v < 0.0 || *v > 1.0) fail_col(col, "expected a number in [0,1], got " + quote(s));
    return v;
  }

  // A tensor file path, resolved relative to the workload file's directory; must exist.
  std::string opt_npy(const std::string& col) const {
    if (!has(col)) return "";
    fs::path p(value(col));
    if (p.is_relative()) p = fs::path(path_).parent_path() / p;
    p = p.lexically_normal();
    if (p.extension() != ".npy") fail_col(col, "expected a .npy file, got " + quote(value(col)));
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) fail_col(col, "file not found: " + quote(p.string()));
    return p.string();
  }

 private:
  const std::string& path_;
  int line_;
  const std::vector<std::string>& fields_;
  const std::map<std::string, size_t>& cols_;
  std::string op_;
};

// Output size of one dimension (height or width) with the padding, fit and out_h/out_w checks.
int64_t checked_out_size(const Row& row, const std::string& op, bool height, int64_t in, int64_t pad_a,
                         int64_t pad_b, int64_t k, int64_t stride, int64_t dilation) {
  const std::string in_col = height ? "H" : "W", k_col = height ? "R" : "S";
  const std::string pa_col = height ? "pad_top" : "pad_left", pb_col = height ? "pad_bottom" : "pad_right";
  const std::string out_col = height ? "out_h" : "out_w";
  const int64_t extent = dilation * (k - 1) + 1;
  const std::string extent_desc = "kernel extent " + std::to_string(extent) + " (" + k_col + "=" +
                                  std::to_string(k) + ", dilation " + std::to_string(dilation) + ")";
  if (pad_a >= extent)
    row.fail_col(pa_col, "must be smaller than the " + extent_desc + ", got " + std::to_string(pad_a));
  if (pad_b >= extent)
    row.fail_col(pb_col, "must be smaller than the " + extent_desc + ", got " + std::to_string(pad_b));
  const int64_t out = conv_out_size(in, pad_a, pad_b, k, stride, dilation);
  if (out < 1)
    row.fail_col(k_col, "the " + extent_desc + " exceeds the padded input (" + in_col + "=" +
                            std::to_string(in) + ", " + pa_col + " " + std::to_string(pad_a) + ", " + pb_col +
                            " " + std::to_string(pad_b) + ") of op '" + op + "'");
  if (auto given = row.opt_int(out_col, 1)) {
    if (*given != out)
      row.fail_col(out_col, "expected " + std::to_string(out) + " (from " + in_col + "=" +
                                std::to_string(in) + ", " + k_col + "=" + std::to_string(k) + ", stride " +
                                std::to_string(stride) + ", pad " + std::to_string(pad_a) + "+" +
                                std::to_string(pad_b) + ", dilation " + std::to_string(dilation) + "), got " +
                                std::to_string(*given));
  }
  return out;
}

// The producer names of an 'inputs' cell (empty if the cell is empty: link_layers picks the default).
std::vector<std::string> parse_inputs(const Row& row) {
  std::vector<std::string> names;
  if (!row.has("inputs")) return names;
  const std::string& cell = row.value("inputs");
  size_t start = 0;
  while (true) {
    const size_t end = cell.find(kInputSeparator, start);
    const std::string name = trim(cell.substr(start, end == std::string::npos ? end : end - start));
    if (name.empty())
      row.fail_col("inputs", "empty producer name in " + quote(cell) + " (names are separated by '|')");
    names.push_back(name == kInputWord ? kNetworkInput : name);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return names;
}

Layer parse_npusim_row(Row& row, const std::string& path) {
  Layer L;
  L.source = path + ":" + std::to_string(row.line());
  L.name = row.value("name");
  if (L.name.empty()) row.fail_col("name", "layer name is empty");
  if (L.name == kInputWord)
    row.fail_col("name", "'input' is reserved for the network input (column 'inputs'); rename the layer");

  const std::string op_text = row.value("op");
  if (op_text.empty()) row.fail_col("op", "empty");
  std::string op_lc;
  for (unsigned char c : op_text) op_lc += static_cast<char>(std::tolower(c));
  bool found = false;
  for (const OpName& o : kOps) {
    if (op_lc == o.name) {
      L.op = o.op;
      found = true;
    }
  }
  if (!found)
    row.fail_col("op", "unknown op " + quote(op_text) +
                           " (expected conv, dwconv, fc, pool, maxpool, avgpool, add, lstm or gru)");
  row.set_op(op_lc);

  const bool conv = L.op == OpType::Conv || L.op == OpType::DwConv;
  const bool pool = L.op == OpType::MaxPool || L.op == OpType::AvgPool;
  const bool add = L.op == OpType::Add;
  const bool fc = L.op == OpType::Fc;

  // Columns common to every op.
  L.batch = row.opt_int("batch").value_or(1);
  L.w_bits = static_cast<int>(row.opt_int("w_bits", 2, 8).value_or(8));
  L.a_bits = static_cast<int>(row.opt_int("a_bits", 2, 8).value_or(8));
  if (auto v = row.opt_int("w_nnz", 1, 16)) L.w_nnz = static_cast<int>(*v);
  if (auto v = row.opt_int("a_nnz", 1, 16)) L.a_nnz = static_cast<int>(*v);
  L.w_density = row.opt_fraction("w_density").value_or(1.0);
  L.a_density = row.opt_fraction("a_density").value_or(1.0);
  L.act_file = row.opt_npy("act_file");
  if (pool || add) row.must_be_empty("wgt_file", "it has no weights");
  L.wgt_file = row.opt_npy("wgt_file");
  L.inputs = parse_inputs(row);

  long double macs = 0;
  if (L.is_recurrent()) {
    for (const char* c : kGeometryCols)
      row.must_be_empty(c, "recurrent layers use input_size, hidden_size, seq_len");
    L.input_size = row.req_int("input_size");
    L.hidden_size = row.req_int("hidden_size");
    L.seq_len = row.req_int("seq_len");
    macs = static_cast<long double>(L.seq_len) * L.batch * (L.op == OpType::Lstm ? 4 : 3) * L.hidden_size *
           (static_cast<long double>(L.input_size) + L.hidden_size);
  } else {
    bool rnn_form = false;  // fc given as input_size, hidden_size[, seq_len]
    if (fc)
      for (const char* c : kRecurrentCols) rnn_form = rnn_form || row.has(c);
    if (!rnn_form)
      for (const char* c : kRecurrentCols) row.must_be_empty(c);

    if (fc) {
      if (rnn_form) {
        for (const char* c : {"C", "K"})
          if (row.has(c))
            row.fail_col(c, "give either C,K or input_size,hidden_size[,seq_len] for op 'fc', not both");
        L.C = row.req_int("input_size");
        L.K = row.req_int("hidden_size");
        const int64_t seq = row.opt_int("seq_len").value_or(1);
        if (static_cast<long double>(seq) * L.batch > kMaxValue)
          row.fail_col("seq_len", "seq_len * batch is too large");
        L.batch *= seq;  // one GEMM over the whole sequence
      } else {
        L.C = row.req_int("C");
        L.K = row.req_int("K");
      }
      const std::string flat = "flatten the input into C";
      L.H = row.int_fixed("H", 1, flat);
      L.W = row.int_fixed("W", 1, flat);
      L.R = row.int_fixed("R", 1, flat);
      L.S = row.int_fixed("S", 1, flat);
      L.stride_h = row.opt_int("stride_h").value_or(1);
      L.stride_w = row.opt_int("stride_w").value_or(1);
    } else {
      L.H = row.req_int("H");
      L.W = row.req_int("W");
      L.C = row.req_int("C");
      if (conv) {
        L.K = row.req_int("K");
      } else {
        L.K = L.C;
        if (auto k = row.opt_int("K"); k && *k != L.C)
          row.fail_col("K", "must equal C (" + std::to_string(L.C) + ") for op '" + op_lc + "', got " +
                                std::to_string(*k));
      }
      if (add) {
        L.R = row.int_fixed("R", 1, "element-wise");
        L.S = row.int_fixed("S", 1, "element-wise");
        L.stride_h = row.int_fixed("stride_h", 1, "element-wise");
        L.stride_w = row.int_fixed("stride_w", 1, "element-wise");
      } else {
        L.R = row.req_int("R");
        L.S = row.req_int("S");
        L.stride_h = row.req_int("stride_h");
        L.stride_w = row.req_int("stride_w");
      }
    }
    L.pad_top = row.opt_int("pad_top", 0).value_or(0);
    L.pad_bottom = row.opt_int("pad_bottom", 0).value_or(0);
    L.pad_left = row.opt_int("pad_left", 0).value_or(0);
    L.pad_right = row.opt_int("pad_right", 0).value_or(0);
    L.dilation = row.opt_int("dilation").value_or(1);

    // Groups.
    if (L.op == OpType::DwConv) {
      L.groups = L.C;
      if (auto g = row.opt_int("groups"); g && *g != L.C)
        row.fail_col("groups",
                     "must equal C (" + std::to_string(L.C) + ") for op 'dwconv', got " + std::to_string(*g));
      if (L.K % L.C != 0)
        row.fail_col("K", "must be a multiple of C (" + std::to_string(L.C) +
                              ") for op 'dwconv' (depthwise multiplier), got " + std::to_string(L.K));
    } else if (pool || add) {
      L.groups = row.int_fixed("groups", 1, "it works per channel");
    } else {
      L.groups = row.opt_int("groups").value_or(1);
      if (L.C % L.groups != 0)
        row.fail_col("groups", "C (" + std::to_string(L.C) + ") is not divisible by groups (" +
                                   std::to_string(L.groups) + ")");
      if (L.K % L.groups != 0)
        row.fail_col("groups", "K (" + std::to_string(L.K) + ") is not divisible by groups (" +
                                   std::to_string(L.groups) + ")");
    }

    L.out_h = checked_out_size(row, op_lc, true, L.H, L.pad_top, L.pad_bottom, L.R, L.stride_h, L.dilation);
    L.out_w = checked_out_size(row, op_lc, false, L.W, L.pad_left, L.pad_right, L.S, L.stride_w, L.dilation);
    macs = static_cast<long double>(L.out_h) * L.out_w * L.batch * L.K * L.R * L.S * (L.C / L.groups);
  }
  if (macs > kMaxMacs) row.fail_row("layer '" + printable(L.name) + "' is too large (MAC count overflows)");
  return L;
}

void parse_npusim(const std::string& path, const std::vector<SourceLine>& lines, Network& net) {
  const SourceLine& hdr = lines.front();
  const std::vector<std::string> header = split_csv(path, hdr);
  std::map<std::string, size_t> cols;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& c = header[i];
    if (c.empty()) fail(path, hdr.number, "empty column name (header field " + std::to_string(i + 1) + ")");
    if (!known_column(c)) fail(path, hdr.number, "unknown column " + quote(c));
    if (!cols.emplace(c, i).second) fail(path, hdr.number, "duplicate column " + quote(c));
  }
  for (const char* req : {"name", "op"})
    if (!cols.count(req)) fail(path, hdr.number, std::string("missing required column '") + req + "'");

  std::map<std::string, int> seen;
  for (size_t li = 1; li < lines.size(); ++li) {
    const SourceLine& sl = lines[li];
    const std::vector<std::string> fields = split_csv(path, sl);
    if (fields.size() != header.size())
      fail(path, sl.number,
           "expected " + std::to_string(header.size()) + " fields (one per header column), got " +
               std::to_string(fields.size()));
    Row row(path, sl.number, fields, cols);
    Layer L = parse_npusim_row(row, path);
    check_unique(seen, L, path, sl.number);
    net.layers.push_back(std::move(L));
  }
  graph::link_layers(net, cols.count("inputs") > 0);
}

}  // namespace

const char* to_string(WorkloadFormat f) {
  switch (f) {
    case WorkloadFormat::Npusim:
      return "npusim";
    case WorkloadFormat::ScaleSimConv:
      return "scalesim-conv";
    case WorkloadFormat::ScaleSimGemm:
      return "scalesim-gemm";
  }
  return "?";
}

int64_t conv_out_size(int64_t in, int64_t pad_a, int64_t pad_b, int64_t kernel, int64_t stride,
                      int64_t dilation) {
  const int64_t span = in + pad_a + pad_b - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;  // kernel does not fit (avoid rounding a negative quotient towards zero)
  return span / stride + 1;
}

Layer gemm_layer(const std::string& name, int64_t M, int64_t K, int64_t N) {
  if (M < 1 || K < 1 || N < 1)
    throw InputError("GEMM " + quote(name) + ": M, K and N must be positive, got " + std::to_string(M) + "," +
                     std::to_string(K) + "," + std::to_string(N));
  Layer L;
  L.name = name;
  L.op = OpType::Fc;
  L.batch = M;
  L.C = K;
  L.K = N;
  L.out_h = L.out_w = 1;
  return L;
}

namespace {

// A .tflite file: its extension, or the flatbuffer identifier "TFL3" at offset 4.
bool is_tflite(const std::string& path) {
  if (fs::path(path).extension() == ".tflite") return true;
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  return in.read(head, 8) && std::string(head + 4, 4) == "TFL3";
}

}  // namespace

Network load_workload(const std::string& path) {
  if (is_tflite(path)) return load_tflite_network(path);
  int total_lines = 0;
  const std::vector<SourceLine> lines = read_lines(path, &total_lines);
  if (lines.empty()) fail(path, std::max(total_lines, 1), "empty workload file (no header line)");
  Network net;
  net.name = fs::path(path).stem().string();
  net.source = path;
  const WorkloadFormat fmt = detect_format(path, lines.front());
  if (fmt == WorkloadFormat::Npusim)
    parse_npusim(path, lines, net);
  else
    parse_scalesim(path, lines, fmt, net);
  if (net.layers.empty()) fail(path, lines.front().number, "no layers (the file has only a header)");
  return net;
}

}  // namespace npusim
