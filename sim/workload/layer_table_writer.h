#pragma once
// A network as an npusim layer table (the CSV that load_workload reads): how `npusim inspect --layer-table`
// turns a real model into a table for studies with seeded weights (sweeps, --w-nnz, other bit widths).
// Only ops a table can express are written (conv, dwconv, fc, maxpool, avgpool, add, lstm, gru, and
// MEAN over H and W as a global avgpool); reshapes, softmax and the other host ops are left out, and a
// layer that read one reads what it read. Every row names its producers in the `inputs` column.
#include <ostream>

#include "sim/workload/layer.h"

namespace npusim {

// InputError naming the layer when a kept layer cannot be expressed (e.g. it reads a dropped op that
// changed the values, like a softmax or a concatenation).
void write_layer_table(const Network& net, std::ostream& os);

}  // namespace npusim
