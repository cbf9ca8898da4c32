// Portico's entry point. The wiring of configuration, storage, services and server is in
// cli/runtime.cpp (Runtime and Serve), where every component is constructed in plain sight.
#include "cli/cli.h"

int main(int argc, char** argv) { return portico::cli::Main(argc, argv); }
