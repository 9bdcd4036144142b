// run_file_fixture OUT [--truncated OUT2] [--flipped OUT3]
//
// Writes the sample run (sample_run.h) to OUT for the Python read-back and `clawsim inspect`
// tests. Optionally also writes damaged copies: OUT2 cut short in the middle of its last
// record, OUT3 with one byte flipped inside its second record.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/run/run_file_format.h"
#include "tests/run/sample_run.h"

namespace {

bool ReadAll(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return static_cast<bool>(in) || in.eof();
}

bool WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "run_file_fixture: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace clawsim::run;
  if (argc < 2 || argc % 2 != 0) {
    return Fail("usage: run_file_fixture OUT [--truncated OUT2] [--flipped OUT3]");
  }
  const std::string path = argv[1];
  clawsim::Status s = testing::WriteSampleRunFile(path);
  if (!s.ok()) return Fail(s.message());
  std::string bytes;
  if (!ReadAll(path, &bytes)) return Fail("cannot read back " + path);
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    std::string damaged = bytes;
    if (flag == "--truncated") {
      damaged.resize(bytes.size() - 5);
    } else if (flag == "--flipped") {
      // The second record starts after the preamble and the header record.
      const size_t second = kPreambleBytes + kRecordHeaderBytes + DecodeFixed32(bytes.data() + kPreambleBytes);
      damaged[second + kRecordHeaderBytes + 20] ^= 0x01;
    } else {
      return Fail("unknown flag " + flag);
    }
    if (!WriteAll(argv[i + 1], damaged)) return Fail(std::string("cannot write ") + argv[i + 1]);
  }
  std::printf("run_file_fixture: wrote %s (%zu bytes)\n", path.c_str(), bytes.size());
  return 0;
}
