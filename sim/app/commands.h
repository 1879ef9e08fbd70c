#pragma once
namespace npusim::app {
// Parses the command line and runs a subcommand; throws InputError / VerificationError.
int main(int argc, char** argv);
}  // namespace npusim::app
