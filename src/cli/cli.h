// The `portico` command (CLI.md): subcommands, flags, exit codes 0 (success), 1 (failure, explained on
// stderr in one last line), 2 (bad usage).
#pragma once

namespace portico::cli {

int Main(int argc, char** argv);

}  // namespace portico::cli
