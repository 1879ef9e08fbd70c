// Controller of the cim layer engine (cim_engine.v; cycle contract in models/cim/cim_engine_core.h):
// the layer config registers and the phase sequence idle -> load -> pwm -> convert -> readout, per
// pixel. The fire strobes tell the datapath which edge loads a beat, clears the clip count or converts.
module cim_controller #(
    parameter integer LANES_IN  = 1,
    parameter integer LANES_OUT = 1
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        cfg_valid,
    input  wire [15:0] cfg_n_in,
    input  wire [15:0] cfg_k,
    input  wire [ 7:0] cfg_splits,
    input  wire [15:0] cfg_slots,
    input  wire [ 2:0] cfg_dac_shift,
    input  wire [31:0] cfg_adc_max,
    input  wire [ 7:0] cfg_adc_cycles,
    input  wire [ 7:0] cfg_out_zp,
    input  wire [ 7:0] cfg_act_min,
    input  wire [ 7:0] cfg_act_max,
    input  wire [23:0] cfg_pixels,
    input  wire        in_valid,
    input  wire        out_ready,
    output reg  [ 2:0] phase,
    output reg  [23:0] pixel,
    output reg  [15:0] beat,
    output reg  [15:0] slot,
    output reg  [15:0] n_in,
    output reg  [15:0] k,
    output reg  [ 7:0] splits,
    output reg  [15:0] slots,
    output reg  [ 2:0] dac_shift,
    output reg  [31:0] adc_max,
    output reg  [ 7:0] out_zp,
    output reg  [ 7:0] act_min,
    output reg  [ 7:0] act_max,
    output reg         done,
    output wire        cfg_fire,
    output wire        load_fire,
    output wire        conv_fire
);
  localparam [2:0] IDLE = 3'd0, LOAD = 3'd1, PWM = 3'd2, CONVERT = 3'd3, READOUT = 3'd4;
  localparam [31:0] LI = LANES_IN;
  localparam [31:0] LO = LANES_OUT;

  reg [7:0] adc_cycles, conv;
  reg [23:0] pixels;

  // Last beat / slot / cycle / pixel: one more would reach the configured count (each runs at least once).
  wire [31:0] beat_next = {16'd0, beat} + 32'd1;
  wire last_in_beat = beat_next * LI >= {16'd0, n_in};
  wire last_out_beat = beat_next * LO >= {16'd0, k};
  wire last_slot = {1'b0, slot} + 17'd1 >= {1'b0, slots};
  wire last_conv = {1'b0, conv} + 9'd1 >= {1'b0, adc_cycles};
  wire last_pixel = {1'b0, pixel} + 25'd1 >= {1'b0, pixels};

  assign cfg_fire  = phase == IDLE && cfg_valid;
  assign load_fire = phase == LOAD && in_valid;
  assign conv_fire = phase == CONVERT && last_conv;

  always @(posedge clk) begin
    if (rst) begin
      phase <= IDLE;
      pixel <= 24'd0;
      beat <= 16'd0;
      slot <= 16'd0;
      conv <= 8'd0;
      n_in <= 16'd0;
      k <= 16'd0;
      splits <= 8'd0;
      slots <= 16'd0;
      dac_shift <= 3'd0;
      adc_max <= 32'd0;
      adc_cycles <= 8'd0;
      out_zp <= 8'd0;
      act_min <= 8'd0;
      act_max <= 8'd0;
      pixels <= 24'd0;
      done <= 1'b0;
    end else begin
      done <= 1'b0;
      case (phase)
        IDLE:
        if (cfg_valid) begin
          n_in <= cfg_n_in;
          k <= cfg_k;
          splits <= cfg_splits;
          slots <= cfg_slots;
          dac_shift <= cfg_dac_shift;
          adc_max <= cfg_adc_max;
          adc_cycles <= cfg_adc_cycles;
          out_zp <= cfg_out_zp;
          act_min <= cfg_act_min;
          act_max <= cfg_act_max;
          pixels <= cfg_pixels;
          pixel <= 24'd0;
          beat <= 16'd0;
          phase <= LOAD;
        end
        LOAD:
        if (in_valid) begin
          if (last_in_beat) begin
            beat  <= 16'd0;
            slot  <= 16'd0;
            phase <= PWM;
          end else beat <= beat_next[15:0];
        end
        PWM:
        if (last_slot) begin
          slot  <= 16'd0;
          conv  <= 8'd0;
          phase <= CONVERT;
        end else slot <= slot + 16'd1;
        CONVERT:
        if (last_conv) begin
          conv  <= 8'd0;
          beat  <= 16'd0;
          phase <= READOUT;
        end else conv <= conv + 8'd1;
        READOUT:
        if (out_ready) begin
          if (!last_out_beat) beat <= beat_next[15:0];
          else if (!last_pixel) begin
            pixel <= pixel + 24'd1;
            beat  <= 16'd0;
            phase <= LOAD;
          end else begin
            beat  <= 16'd0;
            done  <= 1'b1;
            phase <= IDLE;
          end
        end
        default: phase <= IDLE;
      endcase
    end
  end
endmodule
