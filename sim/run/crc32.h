// CRC-32 (IEEE 802.3, the polynomial of zlib, PNG and Python's zlib.crc32), used to detect
// corrupt records in run files.
#pragma once

#include <cstddef>
#include <cstdint>

namespace clawsim::run {

// Returns the CRC-32 of data[0, n) continued from `crc` (the CRC of the bytes before), so
// Crc32(b, nb, Crc32(a, na)) == Crc32 of a followed by b. Crc32("123456789", 9) == 0xCBF43926.
uint32_t Crc32(const void* data, size_t n, uint32_t crc = 0);

}  // namespace clawsim::run
