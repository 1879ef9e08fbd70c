// Digital engine of one layer-serial AON-CiM layer (DESIGN.md §8): controller, PWM DAC sequencer, ADC
// readout and LANES_OUT periphery lanes around the analog crossbar, which is not RTL: its dot products
// come from the C++ analog kernel through DPI-C (rtl/cim/cim_analog_dpi.cpp), so synthesis sees only the
// digital part. The cycle contract, shared with the C++ core, is in models/cim/cim_engine_core.h;
// outputs are Moore (functions of the registers only).
module cim_engine #(
    parameter integer N_IN      = 16,  // DAC rows (logical input rows per pixel)
    parameter integer K_MAX     = 8,   // output channels
    parameter integer S_MAX     = 2,   // row splits per channel
    parameter integer LANES_IN  = 4,   // activations per input beat
    parameter integer LANES_OUT = 4    // channels per output beat
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    cfg_valid,
    input  wire [            15:0] cfg_n_in,
    input  wire [            15:0] cfg_k,
    input  wire [             7:0] cfg_splits,
    input  wire [            15:0] cfg_slots,
    input  wire [             2:0] cfg_dac_shift,
    input  wire [            31:0] cfg_adc_max,
    input  wire [             7:0] cfg_adc_cycles,
    input  wire [             7:0] cfg_out_zp,
    input  wire [             7:0] cfg_act_min,
    input  wire [             7:0] cfg_act_max,
    input  wire [            23:0] cfg_pixels,
    input  wire                    par_valid,
    input  wire [            15:0] par_ch,
    input  wire [            31:0] par_m,
    input  wire [            31:0] par_bias,
    input  wire [            31:0] par_qmult,
    input  wire [             7:0] par_qshift,
    input  wire                    in_valid,
    input  wire [  LANES_IN*8-1:0] in_data,
    input  wire                    out_ready,
    output wire [             2:0] phase,
    output wire                    cfg_ready,
    output wire                    in_ready,
    output wire [            23:0] pixel,
    output wire [            15:0] pwm_slot,
    output wire [            15:0] pulse_rows,
    output wire [            31:0] clip_count,
    output wire                    out_valid,
    output wire [            15:0] out_ch0,
    output wire [            23:0] out_pixel,
    output wire [LANES_OUT*32-1:0] out_sum,
    output wire [ LANES_OUT*8-1:0] out_data,
    output wire                    done
);
  localparam [2:0] IDLE = 3'd0, LOAD = 3'd1, PWM = 3'd2, READOUT = 3'd4;
  localparam [31:0] LO = LANES_OUT;
  localparam [31:0] KM = K_MAX;

  wire [15:0] beat, slot, n_in, k, slots;
  wire [2:0] dac_shift;
  wire [7:0] splits, out_zp, act_min, act_max;
  wire [31:0] adc_max;
  wire cfg_fire, load_fire, conv_fire;

  cim_controller #(
      .LANES_IN (LANES_IN),
      .LANES_OUT(LANES_OUT)
  ) u_ctrl (
      .clk(clk),
      .rst(rst),
      .cfg_valid(cfg_valid),
      .cfg_n_in(cfg_n_in),
      .cfg_k(cfg_k),
      .cfg_splits(cfg_splits),
      .cfg_slots(cfg_slots),
      .cfg_dac_shift(cfg_dac_shift),
      .cfg_adc_max(cfg_adc_max),
      .cfg_adc_cycles(cfg_adc_cycles),
      .cfg_out_zp(cfg_out_zp),
      .cfg_act_min(cfg_act_min),
      .cfg_act_max(cfg_act_max),
      .cfg_pixels(cfg_pixels),
      .in_valid(in_valid),
      .out_ready(out_ready),
      .phase(phase),
      .pixel(pixel),
      .beat(beat),
      .slot(slot),
      .n_in(n_in),
      .k(k),
      .splits(splits),
      .slots(slots),
      .dac_shift(dac_shift),
      .adc_max(adc_max),
      .out_zp(out_zp),
      .act_min(act_min),
      .act_max(act_max),
      .done(done),
      .cfg_fire(cfg_fire),
      .load_fire(load_fire),
      .conv_fire(conv_fire)
  );

  wire pwm_active = phase == PWM;
  cim_pwm_dac #(
      .N_IN(N_IN),
      .LANES_IN(LANES_IN)
  ) u_dac (
      .clk(clk),
      .rst(rst),
      .load_fire(load_fire),
      .beat(beat),
      .n_in(n_in),
      .slots(slots),
      .dac_shift(dac_shift),
      .pwm_active(pwm_active),
      .slot(slot),
      .in_data(in_data),
      .pulse_rows(pulse_rows)
  );

  wire [K_MAX*32-1:0] code_sum;
  cim_adc_readout #(
      .K_MAX(K_MAX),
      .S_MAX(S_MAX)
  ) u_adc (
      .clk(clk),
      .rst(rst),
      .cfg_fire(cfg_fire),
      .conv_fire(conv_fire),
      .pixel(pixel),
      .k(k),
      .splits(splits),
      .adc_max(adc_max),
      .code_sum(code_sum),
      .clip_count(clip_count)
  );

  // Per-channel periphery parameters (models/cim/periphery.h ChannelParams), written one channel a beat.
  reg [K_MAX*32-1:0] p_m, p_bias, p_qmult;
  reg [K_MAX*8-1:0] p_qshift;
  integer c;
  always @(posedge clk) begin
    if (rst) begin
      p_m <= '0;
      p_bias <= '0;
      p_qmult <= '0;
      p_qshift <= '0;
    end else if (par_valid) begin
      for (c = 0; c < K_MAX; c = c + 1)
        if ({16'd0, par_ch} == c) begin
          p_m[c*32+:32] <= par_m;
          p_bias[c*32+:32] <= par_bias;
          p_qmult[c*32+:32] <= par_qmult;
          p_qshift[c*8+:8] <= par_qshift;
        end
    end
  end

  wire readout = phase == READOUT;
  wire [31:0] ch0 = readout ? {16'd0, beat} * LO : 32'd0;
  assign cfg_ready = phase == IDLE;
  assign in_ready = phase == LOAD;
  assign pwm_slot = pwm_active ? slot : 16'd0;
  assign out_valid = readout;
  assign out_ch0 = ch0[15:0];
  assign out_pixel = readout ? pixel : 24'd0;

  genvar l;
  generate
    for (l = 0; l < LANES_OUT; l = l + 1) begin : g_lane
      localparam [31:0] L32 = l;
      wire [31:0] ch = ch0 + L32;
      wire live = readout && ch < {16'd0, k} && ch < KM;
      wire [31:0] at = live ? ch : 32'd0;  // a channel in range for the selects below
      wire [31:0] sum = code_sum[at*32+:32];
      wire [7:0] y;
      cim_periphery u_periph (
          .code_sum(sum),
          .m(p_m[at*32+:32]),
          .bias(p_bias[at*32+:32]),
          .qmult(p_qmult[at*32+:32]),
          .qshift(p_qshift[at*8+:8]),
          .out_zp(out_zp),
          .act_min(act_min),
          .act_max(act_max),
          .out(y)
      );
      assign out_sum[l*32+:32] = live ? sum : 32'd0;
      assign out_data[l*8+:8]  = live ? y : 8'd0;
    end
  endgenerate
endmodule
