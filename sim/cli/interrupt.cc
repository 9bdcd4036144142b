#include "sim/cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>

namespace clawsim::cli {
namespace {

constexpr int kMaxCleanupPaths = 16;

std::atomic<int> g_signal{0};
// Filled before the work starts; read only by the handler.
char g_cleanup[kMaxCleanupPaths][PATH_MAX];
std::atomic<int> g_cleanup_count{0};

void OnSignal(int sig) {
  int expected = 0;
  if (g_signal.compare_exchange_strong(expected, sig)) return;  // the first: ask to stop
  // The second: leave no half-written file, and go.
  const int n = g_cleanup_count.load();
  for (int i = 0; i < n; ++i) {
    if (i + 1 == n) {
      ::rmdir(g_cleanup[i]);
    } else {
      ::unlink(g_cleanup[i]);
    }
  }
  ::_exit(128 + g_signal.load());
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // writes in progress carry on after the first signal
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool StopRequested() { return g_signal.load() != 0; }
int StopSignal() { return g_signal.load(); }
int InterruptedExitStatus() { return 128 + g_signal.load(); }
const char* StopSignalName() { return g_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT"; }

void SetInterruptCleanup(const std::vector<std::string>& paths) {
  g_cleanup_count.store(0);
  int n = 0;
  for (const std::string& p : paths) {
    if (n == kMaxCleanupPaths || p.size() >= PATH_MAX) break;
    std::memcpy(g_cleanup[n], p.c_str(), p.size() + 1);
    ++n;
  }
  g_cleanup_count.store(n);
}

}  // namespace clawsim::cli
