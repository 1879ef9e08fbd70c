#include "sim/workload/layer_table_writer.h"

#include <fmt/format.h>

#include <map>

#include "sim/common/error.h"
#include "sim/workload/graph.h"

namespace npusim {

namespace {

// Ops whose output is their input's values in another shape: a reader may read through them.
bool is_view(OpType op) {
  return op == OpType::Reshape || op == OpType::Squeeze;
}

bool expressible(const Layer& l) {
  switch (l.op) {
    case OpType::Conv:
    case OpType::DwConv:
    case OpType::Fc:
    case OpType::MaxPool:
    case OpType::AvgPool:
    case OpType::Add:
    case OpType::Lstm:
    case OpType::Gru:
    case OpType::Mean:
      return true;
    default:
      return false;
  }
}

// Names go into a CSV cell and the '|'-separated inputs list; `input` is reserved for the network input.
std::string cell_name(const std::string& n) {
  std::string s;
  for (char c : n) s += (c == ',' || c == '|' || c == '"' || c == '\n') ? '_' : c;
  return s == "input" ? "input_" : s;
}

}  // namespace

void write_layer_table(const Network& net, std::ostream& os) {
  os << "# generated from " << net.source
     << " by npusim inspect --layer-table (layer names are the model's)\n";
  os << "name,op,H,W,C,K,R,S,stride_h,stride_w,pad_top,pad_bottom,pad_left,pad_right,groups,dilation,batch,"
        "input_size,hidden_size,seq_len,inputs\n";
  std::map<std::string, std::string> written_as;  // layer -> the kept layer whose output it carries
  written_as[kNetworkInput] = "input";
  for (const Layer& l : net.layers) {
    if (!expressible(l)) {
      if (is_view(l.op) && l.inputs.size() == 1 && written_as.count(l.inputs[0])) {
        written_as[l.name] = written_as.at(l.inputs[0]);
        continue;
      }
      if (l.op == OpType::Softmax || l.op == OpType::Dequantize)
        continue;  // final ops nobody reads in a table
      written_as.erase(l.name);
      continue;
    }
    std::string inputs;
    for (const auto& p : l.inputs) {
      if (!written_as.count(p))
        throw InputError(l.source + ": layer '" + l.name + "' reads '" + p +
                         "', which a layer table cannot express");
      inputs +=
          (inputs.empty() ? "" : "|") + (written_as.at(p) == "input" ? "input" : cell_name(written_as.at(p)));
    }
    const std::string name = cell_name(l.name);
    written_as[l.name] = name;
    auto n = [](int64_t v) { return std::to_string(v); };
    if (l.is_recurrent()) {
      os << fmt::format("{},{},,,,,,,,,,,,,,,{},{},{},{},{}\n", name, to_string(l.op), l.batch, l.input_size,
                        l.hidden_size, l.seq_len, inputs);
      continue;
    }
    if (l.op == OpType::Fc) {
      os << fmt::format("{},fc,,,{},{},,,,,,,,,,,{},,,,{}\n", name, l.C, l.K, l.batch, inputs);
      continue;
    }
    Layer g = l;
    std::string op = to_string(l.op);
    if (l.op == OpType::Mean) {
      // Global average pooling over H and W of a [1][H][W][C] input.
      const auto& in = l.model_in_shape;
      if (in.size() != 4 || graph::element_count(l.model_out_shape) != in[3])
        throw InputError(l.source + ": MEAN '" + l.name + "' is not a global pooling over H and W");
      g = Layer{};
      g.H = g.R = in[1];
      g.W = g.S = in[2];
      g.C = g.K = in[3];
      op = "avgpool";
    }
    if (l.op == OpType::Add) {
      const auto& s = l.model_in_shape.empty() ? graph::input_shape(l) : l.model_in_shape;
      const int64_t C = s.back(), W = s.size() >= 3 ? s[s.size() - 2] : 1,
                    H = s.size() >= 4 ? s[s.size() - 3] : 1;
      os << fmt::format("{},add,{},{},{},,,,,,,,,,,,,,,,{}\n", name, H, W, C, inputs);
      continue;
    }
    os << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},,,,,{}\n", name, op, n(g.H), n(g.W),
                      n(g.C), n(g.K), n(g.R), n(g.S), n(g.stride_h), n(g.stride_w), n(g.pad_top),
                      n(g.pad_bottom), n(g.pad_left), n(g.pad_right), n(g.groups), n(g.dilation), inputs);
  }
}

}  // namespace npusim
