#include "sim/workload/graph.h"

#include <map>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim {

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
    ok = !p.is_recurrent() && std::vector<int64_t>{p.batch, p.out_h, p.out_w, p.K} == input_shape(c);
  }
  if (ok) return "";
  return "layer " + quote(c.name) + " reads " + format_shape(input_shape(c)) + " but its producer " +
         quote(p.name) + " writes " + format_shape(out);
}

namespace {

// "12" from "path/x.csv:12".
std::string line_of(const Layer& L) { return L.source.substr(L.source.rfind(':') + 1); }

}  // namespace

void link_layers(Network& net, bool explicit_inputs) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < net.layers.size(); ++i) index.emplace(net.layers[i].name, i);

  std::string reason;           // first break of the chain
  const Layer* reader = nullptr;  // first layer that reads the network input
  for (size_t i = 0; i < net.layers.size(); ++i) {
    Layer& L = net.layers[i];
    auto fail_inputs = [&](const std::string& msg) { throw InputError(L.source + ": column 'inputs': " + msg); };
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
      fail_inputs("op '" + std::string(to_string(L.op)) + "' takes " + std::to_string(wanted) + " input" +
                  (wanted == 1 ? "" : "s") + ", got " + std::to_string(L.inputs.size()));
    }

    for (const std::string& name : L.inputs) {
      std::string why;
      if (name == kNetworkInput) {
        if (!reader)
          reader = &L;
        else if (input_shape(*reader) != input_shape(L))
          why = "layer " + quote(L.name) + " reads the network input as " + format_shape(input_shape(L)) +
                " but layer " + quote(reader->name) + " (line " + line_of(*reader) + ") reads it as " +
                format_shape(input_shape(*reader));
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

}  // namespace npusim
