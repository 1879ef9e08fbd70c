// Toy block of the generic DPI-context test (tests/cosim/test_dpi_context.cpp): y takes, on each edge
// with in_valid, the DPI-C import dpi_toy_read(x), which adds the int its RTL instance's host context
// holds (tests/cosim/dpi_toy/dpi_toy.cpp).
module dpi_toy (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire [15:0] x,
    output reg  [31:0] y
);
  import "DPI-C" function int dpi_toy_read(input int x);

  always @(posedge clk) begin
    if (rst) y <= 32'd0;
    else if (in_valid) y <= dpi_toy_read({16'd0, x});
  end
endmodule
