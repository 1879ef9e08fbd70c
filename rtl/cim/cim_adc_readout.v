// ADC readout of the cim layer engine (cim_engine.v): on the edge leaving the convert phase, the raw code
// of every (channel, row split) of the layer comes from the analog kernel (DPI-C import cim_adc_code,
// rtl/cim/cim_analog_dpi.cpp), is clipped to +-adc_max (each clip counted) and summed per channel
// (int32, wrapping). Synthesis (no VERILATOR) sees a digital stand-in for the raw codes (pixel + ch +
// split): the analog part is not synthesized, the readout datapath behind it is.
// Fault NPUSIM_FAULT_CIM_ADC_CLIP: the clip bound is adc_max - 1.
module cim_adc_readout #(
    parameter integer K_MAX = 1,
    parameter integer S_MAX = 1
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               cfg_fire,
    input  wire               conv_fire,
    input  wire [       23:0] pixel,
    input  wire [       15:0] k,
    input  wire [        7:0] splits,
    input  wire [       31:0] adc_max,
    output reg  [K_MAX*32-1:0] code_sum,  // channel c at [c*32 +: 32]
    output reg  [       31:0] clip_count
);
`ifdef VERILATOR
  import "DPI-C" function int cim_adc_code(input int pixel, input int ch, input int split);
`endif

`ifdef NPUSIM_FAULT_CIM_ADC_CLIP
  wire signed [31:0] bound = adc_max - 32'd1;
`else
  wire signed [31:0] bound = adc_max;
`endif

  // The raw code of one conversion.
  function automatic signed [31:0] raw_code(input [23:0] p, input integer ch, input integer s);
`ifdef VERILATOR
    raw_code = cim_adc_code({8'd0, p}, ch, s);
`else
    raw_code = {8'd0, p} + ch + s;  // a stand-in that keeps the clip, sum and periphery in the netlist
`endif
  endfunction

  // One conversion of the pixel: the new {clip_count, code_sum} (channels >= k keep their sums).
  function automatic [K_MAX*32+31:0] convert(input [23:0] p, input [K_MAX*32-1:0] sums, input [31:0] clips);
    integer c, s;
    reg signed [31:0] raw, clipped, sum;
    reg [31:0] n;
    reg [K_MAX*32-1:0] out;
    begin
      n   = clips;
      out = sums;
      for (c = 0; c < K_MAX; c = c + 1) begin
        if (c < {16'd0, k}) begin
          sum = 32'sd0;
          for (s = 0; s < S_MAX; s = s + 1) begin
            if (s < {24'd0, splits}) begin
              raw = raw_code(p, c, s);
              clipped = raw > bound ? bound : (raw < -bound ? -bound : raw);
              if (raw != clipped) n = n + 32'd1;
              sum = sum + clipped;
            end
          end
          out[c*32+:32] = sum;
        end
      end
      convert = {n, out};
    end
  endfunction

  always @(posedge clk) begin
    if (rst) begin
      code_sum   <= '0;
      clip_count <= 32'd0;
    end else if (cfg_fire) begin
      clip_count <= 32'd0;
    end else if (conv_fire) begin
      {clip_count, code_sum} <= convert(pixel, code_sum, clip_count);
    end
  end
endmodule
