#include "sim/workload/graph.h"

#include <map>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::graph {

std::vector<int64_t> input_shape(const Layer& L) {
  if (!L.model_in_shape.empty()) return L.model_in_shape;
  if (L.is_recurrent()) return {L.batch, L.seq_len, L.input_size};
  if (L.op == OpType::Fc) return {L.batch, L.C};
  if (L.batch == 1) return {L.H, L.W, L.C};
  return {L.batch, L.H, L.W, L.C};
}

std::vector<int64_t> output_shape(const Layer& L) {
  if (!L.model_out_shape.empty()) return L.model_out_shape;
  if (L.is_recurrent()) return {L.batch, L.seq_len, L.hidden_size};
  if (L.op == OpType::Fc) return {L.batch, L.K};
  if (L.batch == 1) return {L.out_h, L.out_w, L.K};
  return {L.batch, L.out_h, L.out_w, L.K};
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

namespace {

// "56x56x64", "49x80", "1500 (batch 700)": one batch element's shape, then the batch if not 1.
std::string describe(const Layer& L, const std::vector<int64_t>& shape) {
  const bool batched = L.op == OpType::Fc || L.is_recurrent() || L.batch > 1;
  std::string out;
  for (size_t i = batched ? 1 : 0; i < shape.size(); ++i)
    out += (out.empty() ? "" : "x") + std::to_string(shape[i]);
  if (L.batch != 1) out += " (batch " + std::to_string(L.batch) + ")";
  return out;
}

// "12" from "path/x.csv:12".
std::string line_of(const Layer& L) {
  return L.source.substr(L.source.rfind(':') + 1);
}

}  // namespace

std::string producer_mismatch(const Layer& consumer, const Layer& producer) {
  const Layer& c = consumer;
  const Layer& p = producer;
  const std::vector<int64_t> out = output_shape(p);
  const int64_t per_row = element_count(out) / p.batch;
  bool ok = false;
  if (c.is_recurrent()) {
    if (p.is_recurrent())
      ok = p.batch == c.batch && p.seq_len == c.seq_len && p.hidden_size == c.input_size;
    else
      ok = (p.batch == c.batch && per_row == c.seq_len * c.input_size) ||
           (p.batch == c.batch * c.seq_len && per_row == c.input_size);
  } else if (c.op == OpType::Fc) {
    if (p.is_recurrent())
      ok = (c.batch == p.batch && c.C == p.seq_len * p.hidden_size) ||
           (c.batch == p.batch * p.seq_len && c.C == p.hidden_size);
    else
      ok = c.batch == p.batch && c.C == per_row;
  } else {
    ok = !p.is_recurrent() && p.batch == c.batch && p.out_h == c.H && p.out_w == c.W && p.K == c.C;
  }
  if (ok) return "";
  return "layer " + quote(c.name) + " reads " + describe(c, input_shape(c)) + " but its producer " +
         quote(p.name) + " writes " + describe(p, out);
}

void link_layers(Network& net, bool explicit_inputs) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < net.layers.size(); ++i) index.emplace(net.layers[i].name, i);

  std::string reason;             // first break of the chain
  const Layer* reader = nullptr;  // first layer that reads the network input
  for (size_t i = 0; i < net.layers.size(); ++i) {
    Layer& L = net.layers[i];
    auto fail_inputs = [&](const std::string& msg) {
      throw InputError(L.source + ": column 'inputs': " + msg);
    };
    const bool add = L.op == OpType::Add;
    const size_t wanted = add ? 2 : 1;
    if (L.inputs.empty()) {
      if (explicit_inputs && add)
        fail_inputs("op 'add' needs its two producers, separated by '|' (the cell is empty)");
      L.inputs.push_back(i == 0 ? kNetworkInput : net.layers[i - 1].name);
      if (add && reason.empty())
        reason = L.source + ": layer " + quote(L.name) +
                 " is an add but the file has no 'inputs' column to name its two producers";
    } else if (L.inputs.size() != wanted) {
      std::string given;
      for (const std::string& name : L.inputs)
        given += (given.empty() ? "" : "|") + (name == kNetworkInput ? "input" : name);
      fail_inputs("op '" + std::string(to_string(L.op)) + "' takes " + std::to_string(wanted) + " input" +
                  (wanted == 1 ? "" : "s") + ", got " + std::to_string(L.inputs.size()) + ": " +
                  quote(given) + " (producers are separated by '|')");
    }

    for (const std::string& name : L.inputs) {
      std::string why;
      if (name == kNetworkInput) {
        if (!reader)
          reader = &L;
        else if (input_shape(*reader) != input_shape(L))
          why = "layer " + quote(L.name) + " reads the network input as " + describe(L, input_shape(L)) +
                " but layer " + quote(reader->name) + " (line " + line_of(*reader) + ") reads it as " +
                describe(*reader, input_shape(*reader));
      } else {
        if (name == L.name) fail_inputs("layer " + quote(name) + " reads itself");
        auto it = index.find(name);
        if (it == index.end())
          fail_inputs("unknown layer " + quote(name) +
                      " (producers are layer names or 'input', separated by '|')");
        const Layer& producer = net.layers[it->second];
        if (it->second > i)
          fail_inputs("layer " + quote(name) + " is defined later (line " + line_of(producer) +
                      "); rows must be in topological order, producers first");
        why = producer_mismatch(L, producer);
      }
      if (why.empty()) continue;
      if (explicit_inputs) fail_inputs(why);
      if (reason.empty()) reason = L.source + ": " + why;
    }
  }
  net.chained = reason.empty();
  net.independent_reason = reason;
}

}  // namespace npusim::graph
