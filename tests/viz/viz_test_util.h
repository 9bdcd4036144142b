// Helpers for the viewer's tests: the sample run on disk, loaded once, and an ImGui context
// stepped frame by frame with a fixed time step and scripted mouse input (no GPU: frames are
// built and never rendered).
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include <functional>
#include <string>

#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"
#include "viz/run_data.h"

namespace clawsim::viz::testing {

// Writes the sample run (tests/run/sample_run.h) into a fresh directory and returns its path.
inline std::string WriteSample() {
  const std::string path = run::testing::FreshTestDir() + "/sample.clawrun";
  const Status s = run::testing::WriteSampleRunFile(path);
  EXPECT_TRUE(s.ok()) << s.message();
  return path;
}

inline RunData LoadSample() {
  RunData run;
  LoadProgress progress;
  const Status s = LoadRunFile(WriteSample(), &progress, &run);
  EXPECT_TRUE(s.ok()) << s.message();
  return run;
}

// An ImGui context for one test: a 1400x900 display, 60 frames a second, no ini file.
class ImGuiHarness {
 public:
  ImGuiHarness() {
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1400, 900);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas, as a renderer would
    io.MousePos = ImVec2(-1, -1);
  }
  ~ImGuiHarness() { ImGui::DestroyContext(context_); }

  // One frame: `draw` runs inside a full-display window (or bare, with window = false).
  void Frame(const std::function<void()>& draw, bool window = true) {
    ImGui::NewFrame();
    if (window) {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
      ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    }
    draw();
    if (window) ImGui::End();
    ImGui::Render();
  }
  void MoveMouse(ImVec2 p) { ImGui::GetIO().MousePos = p; }
  void Press(bool down) { ImGui::GetIO().MouseDown[0] = down; }
  // Moves there, presses, releases: four frames, as a person's click spans several.
  void Click(ImVec2 p, const std::function<void()>& draw, bool window = true) {
    MoveMouse(p);
    Frame(draw, window);
    Press(true);
    Frame(draw, window);
    Press(false);
    Frame(draw, window);
    MoveMouse(ImVec2(-1, -1));
    Frame(draw, window);
  }

 private:
  ImGuiContext* context_ = nullptr;
};

inline ImVec2 Centre(const ImVec4& rect) { return ImVec2((rect.x + rect.z) / 2, (rect.y + rect.w) / 2); }

}  // namespace clawsim::viz::testing
