// Interrupts (SIGINT, SIGTERM) for `clawsim run`.
//
// The first signal only asks the run to stop: StopRequested() turns true, the runner
// finishes the simulated day it is in and the outputs are written as an incomplete run
// (RunSummary.interrupted, RUN_FILE.md). The command then exits with 128 + the signal
// (130 for SIGINT, 143 for SIGTERM). A second signal exits at once with that status, after
// removing the files named by SetInterruptCleanup, so nothing half-written stays behind.
//
// Call InstallInterruptHandlers once, from the main thread, before the work starts; the
// handlers stay for the life of the process. Everything the handler does (an atomic store,
// unlink, rmdir, _exit) is async-signal-safe.
#pragma once

#include <string>
#include <vector>

namespace clawsim::cli {

void InstallInterruptHandlers();

// Whether a SIGINT or SIGTERM has arrived. Safe from any thread.
bool StopRequested();
// The first signal received (SIGINT or SIGTERM), or 0.
int StopSignal();
// 128 + StopSignal(): the exit status of an interrupted command.
int InterruptedExitStatus();
// "SIGINT" or "SIGTERM".
const char* StopSignalName();

// Paths the second signal removes, in order: files are unlinked, the last entry (a folder)
// is removed with rmdir. At most 16 paths; set once before the work starts, not while a
// signal may arrive mid-update from another thread.
void SetInterruptCleanup(const std::vector<std::string>& paths);

}  // namespace clawsim::cli
