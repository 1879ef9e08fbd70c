// PWM DAC sequencer of the cim layer engine (cim_engine.v): the DAC level register of every input row,
// loaded LANES_IN rows per input beat (level = the int8 activation divided by 2^dac_shift, rounded half away
// from zero, clamped to +-slots), and the rows
// whose pulse is on in the current PWM slot (|level| > slot). Each loaded level also goes to the analog
// kernel through the DPI-C import cim_dac_level (rtl/cim/cim_analog_dpi.cpp); synthesis (no VERILATOR)
// sees no import: the analog crossbar is not part of the digital netlist.
module cim_pwm_dac #(
    parameter integer N_IN     = 1,
    parameter integer LANES_IN = 1
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  load_fire,
    input  wire [          15:0] beat,
    input  wire [          15:0] n_in,
    input  wire [          15:0] slots,
    input  wire [           2:0] dac_shift,
    input  wire                  pwm_active,
    input  wire [          15:0] slot,
    input  wire [LANES_IN*8-1:0] in_data,
    output reg  [          15:0] pulse_rows
);
`ifdef VERILATOR
  import "DPI-C" function void cim_dac_level(input int row, input int level);
`endif

  localparam [31:0] LI = LANES_IN;
  localparam [31:0] NI = N_IN;

  reg [N_IN*8-1:0] levels;  // row r at [r*8 +: 8], two's complement

  // Per lane: its row, whether the layer has it, its level clamp(x, -slots, slots) (sign-extended).
  wire [LANES_IN*32-1:0] row;
  wire [LANES_IN-1:0] row_live;
  wire [LANES_IN*32-1:0] lane_level;
  genvar l;
  generate
    for (l = 0; l < LANES_IN; l = l + 1) begin : g_lane
      localparam [31:0] L32 = l;
      wire [31:0] r = {16'd0, beat} * LI + L32;
      wire signed [31:0] x = {{24{in_data[l*8+7]}}, in_data[l*8+:8]};
      wire signed [31:0] hi = {16'd0, slots};
      // The DAC's top bits: |x| / 2^shift rounded half away from zero, the sign put back.
      wire [31:0] ax = x[31] ? -x : x;
      wire [31:0] half = dac_shift == 3'd0 ? 32'd0 : 32'd1 << (dac_shift - 3'd1);
      wire [31:0] mag = (ax + half) >> dac_shift;
      wire signed [31:0] xs = x[31] ? -$signed(mag) : $signed(mag);
      assign row[l*32+:32] = r;
      assign row_live[l] = load_fire && r < {16'd0, n_in} && r < NI;
      assign lane_level[l*32+:32] = xs > hi ? hi : (xs < -hi ? -hi : xs);
    end
  endgenerate

  // A live lane writes its row's level register directly (O(LANES_IN) per edge, any N_IN); the reset
  // clears the registers row by row (a flat all-zero constant of N_IN*8 bits is too wide to replicate).
  integer i, j;
  always @(posedge clk) begin
    if (rst) begin
      for (i = 0; i < N_IN; i = i + 1) levels[i*8+:8] <= 8'd0;
    end else begin
      for (j = 0; j < LANES_IN; j = j + 1)
        if (row_live[j]) levels[row[j*32+:32]*8+:8] <= lane_level[j*32+:8];
    end
  end

`ifdef VERILATOR
  integer d;
  always @(posedge clk) begin
    if (!rst)
      for (d = 0; d < LANES_IN; d = d + 1)
        if (row_live[d]) cim_dac_level(row[d*32+:32], lane_level[d*32+:32]);
  end
`endif

  // Rows with the pulse on in this slot: |level| > slot, over the layer's rows.
  integer q;
  reg [7:0] mag;
  always @(*) begin
    pulse_rows = 16'd0;
    for (q = 0; q < N_IN; q = q + 1) begin
      mag = levels[q*8+7] ? ~levels[q*8+:8] + 8'd1 : levels[q*8+:8];
      if (pwm_active && q < {16'd0, n_in} && {8'd0, mag} > slot) pulse_rows = pulse_rows + 16'd1;
    end
  end
endmodule
