// Process-wide measurements for benchmark reports.
#pragma once

#include <sys/resource.h>

namespace clawsim {

// Peak resident memory of this process so far, in MiB.
inline double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace clawsim
