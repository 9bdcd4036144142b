// Transparent huge pages for the simulation's heap.
//
// A large organisation's state is touched at random: each event lands on a person whose
// record, queues and mailbox are cold, and with 4 KiB pages most of those loads also miss
// the processor's address-translation cache. Where the kernel hands out huge pages only on
// request (transparent_hugepage "madvise"), glibc's allocator asks for them only when its
// glibc.malloc.hugetlb tunable is set when the process starts. RestartWithHugePages sets it
// and starts the same program again, once, with the same arguments, environment and open
// files (and the same process id). Once the tunable is set it also keeps every thread's
// allocations in glibc's main arena (M_ARENA_MAX 1, unless glibc.malloc.arena_max is given):
// glibc hints huge pages only there, and the arenas it made for the engine's other threads
// left about 30 % of a two-thread run's heap on 4 KiB pages (`clawsim bench org --employees
// 100000 --days 3 --threads 2`: 0.76x to 0.86x the wall time in four paired runs; at a
// million employees the host's drift hid any change, see README).
//
// Results do not depend on it (no result reads an address). It does nothing when the
// tunable is already given, when the kernel backs every mapping with huge pages already or
// never does, under a sanitizer (its allocator is not glibc's), with another C library, or
// when CLAWSIM_HUGE_PAGES=0. If the restart fails, the program carries on as it started.
#pragma once

namespace clawsim::cli {

void RestartWithHugePages(char** argv);

}  // namespace clawsim::cli
