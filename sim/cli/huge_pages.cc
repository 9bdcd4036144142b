#include "sim/cli/huge_pages.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace clawsim::cli {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kGlibcMalloc = false;
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
constexpr bool kGlibcMalloc = true;  // the tunable exists from glibc 2.35
#else
constexpr bool kGlibcMalloc = false;
#endif

constexpr const char* kTunable = "glibc.malloc.hugetlb";

// True when the kernel gives huge pages to mappings that ask for them and not to others.
bool KernelHugePagesOnRequest() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(in, line) && line.find("[madvise]") != std::string::npos;
}

}  // namespace

void RestartWithHugePages(char** argv) {
  if (!kGlibcMalloc) return;
  const char* opt = std::getenv("CLAWSIM_HUGE_PAGES");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, kTunable) != nullptr) {  // given, or restarted already
    // glibc hints huge pages only for its main arena; the arenas it makes for other threads
    // are mapped without the hint. One arena for every thread keeps the whole heap on them
    // (with 2 engine threads at 100,000 employees, 30 % of the heap sat on 4 KiB pages).
    if (std::strstr(tunables, "glibc.malloc.arena_max") == nullptr) mallopt(M_ARENA_MAX, 1);
    return;
  }
  if (!KernelHugePagesOnRequest()) return;
  std::string value = std::string(kTunable) + "=1";
  if (tunables != nullptr && tunables[0] != '\0') value = std::string(tunables) + ":" + value;
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Still here: the restart failed. Carry on without, and do not leave the tunable set for
  // programs this one starts.
  if (tunables != nullptr) {
    setenv("GLIBC_TUNABLES", tunables, 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace clawsim::cli
