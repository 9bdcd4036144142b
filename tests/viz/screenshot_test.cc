// clawsim-view --screenshot: every panel renders headless into a PNG that is not blank, and
// damaged files give a non-zero exit with the message drawn instead of a crash.
//
// Runs the built clawsim-view (CLAWSIM_VIEW_PATH) as a separate process, as a user would.
#include <gtest/gtest.h>
#include <sys/wait.h>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#include <stb/stb_image.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"

namespace {

using clawsim::run::testing::FreshTestDir;
using clawsim::run::testing::ReadFile;
using clawsim::run::testing::WriteFile;

int RunView(const std::string& args) {
  // Under AddressSanitizer the OpenGL driver's allocations, which it keeps until exit, would
  // be reported as leaks of clawsim-view; leak checking stays on for this test process.
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string env = "ASAN_OPTIONS='" + std::string(asan != nullptr ? asan : "") +
                          (asan != nullptr && *asan != '\0' ? ":" : "") + "detect_leaks=0' ";
  const std::string command = env + std::string(CLAWSIM_VIEW_PATH) + " " + args + " 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint32_t> pixels;  // RGBA packed
};

bool Load(const std::string& path, Image* out) {
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &out->width, &out->height, &channels, 4);
  if (data == nullptr) return false;
  out->pixels.resize(static_cast<size_t>(out->width) * out->height);
  for (size_t i = 0; i < out->pixels.size(); ++i) {
    out->pixels[i] = static_cast<uint32_t>(data[4 * i]) | static_cast<uint32_t>(data[4 * i + 1]) << 8 |
                     static_cast<uint32_t>(data[4 * i + 2]) << 16 | static_cast<uint32_t>(data[4 * i + 3]) << 24;
  }
  stbi_image_free(data);
  return true;
}

// Not one colour: many colours, a fair share of pixels off the background, and many rows
// that differ from each other (text, tables, marks).
void ExpectStructured(const Image& img, const std::string& what, double min_ink = 0.01) {
  std::set<uint32_t> colours(img.pixels.begin(), img.pixels.end());
  EXPECT_GE(colours.size(), 16u) << what;
  const uint32_t background = img.pixels[static_cast<size_t>(img.width) * (img.height - 2) + img.width / 2];
  size_t ink = 0;
  for (uint32_t p : img.pixels) ink += p != background;
  EXPECT_GE(static_cast<double>(ink) / img.pixels.size(), min_ink) << what;
  std::set<std::vector<uint32_t>> rows;
  for (int y = 0; y < img.height; ++y) {
    rows.emplace(img.pixels.begin() + static_cast<long>(y) * img.width,
                 img.pixels.begin() + static_cast<long>(y + 1) * img.width);
  }
  EXPECT_GE(rows.size(), 40u) << what;
}

class ScreenshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    sample_ = dir_ + "/sample.clawrun";
    ASSERT_TRUE(clawsim::run::testing::WriteSampleRunFile(sample_).ok());
  }
  std::string dir_;
  std::string sample_;
};

// Every tab, by its label as --panel takes it, at the two sizes the viewer is read at (what is
// drawn past its column is checked on the same frames by layout_test.cc).
TEST_F(ScreenshotTest, EveryPanelRendersAStructuredImageAtBothSizes) {
  for (const char* panel : {"Overview", "Harms", "Time series", "Leaderboard", "Tokens vs value", "Timeline",
                            "Inspector", "Audit log", "Graphs", "Compare", "Study"}) {
    for (const auto& [w, h] : {std::pair{1600, 900}, std::pair{1280, 720}}) {
      std::string file = panel;
      std::replace(file.begin(), file.end(), ' ', '-');
      const std::string png = dir_ + "/" + file + "-" + std::to_string(w) + ".png";
      // Two copies of the run, so Compare has something to compare.
      const int rc = RunView("--screenshot " + png + " --panel '" + panel + "' --size " + std::to_string(w) + "x" +
                             std::to_string(h) + " --select audit:1998 " + sample_ + " " + sample_);
      ASSERT_EQ(rc, 0) << panel;
      Image img;
      ASSERT_TRUE(Load(png, &img)) << panel;
      EXPECT_EQ(img.width, w);
      EXPECT_EQ(img.height, h);
      ExpectStructured(img, panel);
    }
  }
}

TEST_F(ScreenshotTest, PanelsDiffer) {
  Image a, b;
  ASSERT_EQ(RunView("--screenshot " + dir_ + "/a.png --panel timeline --size 640x400 " + sample_), 0);
  ASSERT_EQ(RunView("--screenshot " + dir_ + "/b.png --panel scatter --size 640x400 " + sample_), 0);
  ASSERT_TRUE(Load(dir_ + "/a.png", &a));
  ASSERT_TRUE(Load(dir_ + "/b.png", &b));
  EXPECT_NE(a.pixels, b.pixels);
}

TEST_F(ScreenshotTest, DamagedFilesExitNonZeroAndShowTheMessage) {
  const std::string bytes = ReadFile(sample_);
  std::string flipped = bytes;
  flipped[bytes.size() / 3] ^= 0x04;
  std::string future = bytes;
  future[8] = 9;  // major version 9
  const std::vector<std::pair<std::string, std::string>> files = {
      {"truncated", bytes.substr(0, bytes.size() / 2)},
      {"flipped", flipped},
      {"future", future},
      {"garbage", std::string(5000, '\x7f')},
      {"empty", ""},
  };
  for (const auto& [name, content] : files) {
    const std::string path = dir_ + "/" + name + ".clawrun";
    WriteFile(path, content);
    const std::string png = dir_ + "/" + name + ".png";
    EXPECT_EQ(RunView("--screenshot " + png + " --panel timeline --size 800x300 " + path), 1) << name;
    Image img;
    ASSERT_TRUE(Load(png, &img)) << name << ": the message is drawn";
    ExpectStructured(img, name, 0.002);
  }
  EXPECT_EQ(RunView("--screenshot " + dir_ + "/x.png " + dir_ + "/missing.clawrun"), 1);
}

TEST_F(ScreenshotTest, BadArgumentsExitTwo) {
  EXPECT_EQ(RunView("--screenshot " + dir_ + "/x.png --panel nonsense " + sample_), 2);
  EXPECT_EQ(RunView("--screenshot " + dir_ + "/x.png --size 10x10 " + sample_), 2);
  EXPECT_EQ(RunView("--screenshot " + dir_ + "/x.png"), 2);
  EXPECT_EQ(RunView("--bogus"), 2);
}

}  // namespace
