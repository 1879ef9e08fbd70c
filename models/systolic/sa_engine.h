#pragma once
// Everything of the SA accelerator except SystemC time: DRAM port, the three SRAM buffers (as traffic
// counters and residency), the sequencer that feeds the array's ports fold by fold, and the writeback
// (partial-sum accumulation, bias, requantization into the output buffer, DMA back to DRAM).
// tick() is one clock cycle. The array itself is any SaArrayIf: C++ core, RTL, or lockstep of both.
// With hardware IM2COL the activation operands come from an im2col_unit (any Im2colUnitIf): bank
// loads of raw input pixels run ahead of the stream, and the sequencer decides each slice one cycle
// before the array edge (the unit's read latency), reading the slots of that slice's lanes.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "models/common/dma.h"
#include "models/systolic/dap_unit_core.h"
#include "models/systolic/sa_activity.h"
#include "models/systolic/sa_geometry.h"
#include "models/systolic/sa_pins.h"
#include "models/systolic/systolic_config.h"
#include "models/systolic/array_job.h"
#include "models/systolic/fold_plan.h"

namespace npusim::systolic {

class SaEngine {
 public:
  // `unit`: the IM2COL unit hardware-IM2COL jobs read through; null = an internal C++ core.
  // `dap`: the DAP unit S2TA jobs prune activations through; null = an internal C++ core.
  SaEngine(const ArchConfig& arch, SaArrayIf& array, Im2colUnitIf* unit = nullptr, DapUnitIf* dap = nullptr);
  // Reset the array (one edge with rst) and start a job. The job must outlive the run.
  void begin(const ArrayJob& job);
  void tick();
  bool done() const { return done_; }
  // Valid once done().
  ArrayJobResult take_result();
  uint64_t cycle() const { return t_; }

 private:
  static constexpr uint64_t kUnset = ~uint64_t{0};  // a step not reached yet
  struct FoldRef {
    int64_t group;
    mapping::Fold f;
    int64_t tile;  // global out-tile index
  };
  struct TileState {
    int64_t group;
    mapping::OutTile t;
    std::vector<int32_t> acc;  // [m_len][n_len]
    int64_t remaining = 0;     // final (last_k) results still to arrive
    bool reserved = false;
  };
  enum XferKind { kFetchW = 0, kFetchA = 1, kWriteTile = 2 };
  // One bank load of the IM2COL unit (global order; bank = index % 2) and its schedule.
  struct LoadGroup {
    int64_t fold = 0;
    mapping::Im2colGroup g;
    int64_t cycles = 0;                     // load cycles
    int64_t slice_end = 0;                  // first slice of the fold after this group
    uint64_t load_start = 0, load_end = 0;  // load edges (end = start - 1 when nothing to load)
    bool loaded = false;
    uint64_t last_read = 0;
    uint64_t ideal_end = 0;  // load end had no load waited for DRAM (stall accounting)
  };

  void enqueue_fetch(int64_t f);
  bool operands_ready(int64_t f, bool need_w, bool need_a) const;
  bool can_reserve(int64_t f) const;
  void start_fold(int64_t f, uint64_t edge);  // first slice reaches the array at `edge`
  // Starts fold next_fold_ with its first slice at array edge `edge` when the stream port, the
  // output-register rule, its operands, output space and the feeder (`feeder_ready`) allow; counts a
  // stall cycle when only data is missing (operands, or a feeder held up by DRAM). Returns whether it
  // started.
  bool try_start_fold(uint64_t edge, bool feeder_ready, bool feeder_waits_on_dram);
  void drive_os(SaInputs& in);
  void fill_weights(SaInputs& in, const FoldRef& fr, int64_t kb, int64_t pass);
  void end_slice(SaInputs& in, const mapping::Fold& fd, uint64_t edge);
  // Hardware IM2COL: loader, and the sequencer deciding the slice of the next edge.
  void plan_groups(int64_t fold);
  void load_step(Im2colInputs& u);
  void drive_os_im2col(SaInputs& next, Im2colInputs& u);
  bool group_ready(int64_t g) const {
    return groups_[static_cast<size_t>(g)].loaded && groups_[static_cast<size_t>(g)].load_end + 1 <= t_;
  }
  bool waits_on_dram(int64_t g) const;
  // S2TA: the sequencer decides each slice two edges ahead (the DAP unit's latency).
  void drive_os_dap(int64_t edge_slot, DapInputs& d);
  void tick_dap();
  void drive_ws(SaInputs& in);
  void collect_outputs(const SaOutputs& out);
  void accept(int64_t f, int64_t row, int64_t col, int32_t value);
  void pack_dbb();

  const ArchConfig& arch_;
  SaArrayIf& array_;
  SaShape shape_;
  DmaPort dma_;
  SaInputs in_;
  const ArrayJob* job_ = nullptr;
  // Hardware IM2COL state.
  std::unique_ptr<Im2colUnitIf> own_unit_;
  Im2colUnitIf* unit_ = nullptr;
  bool hw_ = false;
  Im2colInputs uin_;
  SaInputs next_;
  std::vector<LoadGroup> groups_;
  std::vector<int64_t> fold_group_;      // first load group of each planned fold
  int64_t load_g_ = 0, load_done_ = 0;   // group being / next to be loaded, its load cycles done
  int64_t read_g_ = 0, reads_done_ = 0;  // group the stream reads, groups fully read
  // S2TA state: DAP unit, slices decided ahead (ring by edge % 3), the block the rows are streaming.
  std::unique_ptr<DapUnitIf> own_dap_;
  DapUnitIf* dap_ = nullptr;
  bool dap_mode_ = false;
  DapInputs din_;
  struct Pending {
    SaInputs in;
    bool latch = false;  // the DAP outputs of this slice's block arrive on this edge
    int j = 0;           // kept activation of the block this slice streams
  };
  std::vector<Pending> ring_;
  std::vector<int8_t> blk_val_;   // [activation row][slot]
  std::vector<uint8_t> blk_idx_;  // [activation row][slot]
  // Operand toggles on every edge, and zero-operand slots on designs that gate them (energy model).
  SaActivity activity_;
  SaGeometry geo_;
  // DBB weights of each group packed for the sparse PEs: [block][column][passes*P] values and indices.
  std::vector<std::vector<int8_t>> dbb_val_;
  std::vector<std::vector<uint8_t>> dbb_idx_;
  int64_t wgt_read_bits_ = 0;
  std::vector<FoldRef> folds_;
  std::vector<TileState> tiles_;
  std::vector<uint8_t> w_ready_, a_ready_;
  std::vector<int64_t> fold_pos_in_group_;
  int64_t out_used_ = 0, out_capacity_ = 0;
  // Sequencer state.
  uint64_t t_ = 0;
  int64_t next_fold_ = 0;        // next fold to start streaming
  int64_t stream_fold_ = -1;     // fold currently streaming
  int64_t slice_ = 0;            // slice index within it
  uint64_t stream_free_at_ = 0;  // earliest start of the next fold (stream port, output collisions)
  uint64_t prev_last_ = 0;       // OS: step of the previous fold's last slice
  int64_t prev_tpe_rows_ = 0;
  bool any_started_ = false;
  // WS weight writer.
  int64_t wfold_ = 0;                   // next fold whose weights are written
  int64_t wwriting_ = -1, wrow_ = 0;    // fold being written, next row
  std::vector<uint64_t> tw_;            // step at which each fold's weight write started
  std::vector<uint64_t> stream_start_;  // step at which each fold's stream started
  uint64_t writer_free_at_ = 0;
  // Writeback: per column, the folds whose results will appear there, in order.
  std::vector<std::deque<std::pair<int64_t, int64_t>>> col_queue_;  // (fold, rows remaining)
  int64_t tiles_left_ = 0;
  uint64_t last_output_edge_ = 0;
  int64_t last_write_cycles_ = 0;
  bool done_ = false;
  ArrayJobResult result_;
};

}  // namespace npusim::systolic
