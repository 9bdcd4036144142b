// Helpers for the viewer's tests: the sample run on disk, loaded once, and an ImGui context
// stepped frame by frame with a fixed time step and scripted mouse input (no GPU: frames are
// built and never rendered).
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>
#include <functional>
#include <string>

#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"
#include "viz/detection_data.h"
#include "viz/run_data.h"

namespace clawsim::viz::testing {

// Writes the sample run (tests/run/sample_run.h) into a fresh directory and returns its path.
inline std::string WriteSample() {
  const std::string path = run::testing::FreshTestDir() + "/sample.clawrun";
  const Status s = run::testing::WriteSampleRunFile(path);
  EXPECT_TRUE(s.ok()) << s.message();
  return path;
}

// Writes a small detection result (clawsim detect's detection.json, sim/proto/detection.proto)
// with two labels and three detectors, one with a name too long for a narrow legend, and
// returns its path.
inline std::string WriteSampleDetection() {
  // Its own folder under the test's, so the test's other files stay.
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "clawsim_detection_test" /
                                    (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "detection.json").string();
  run::testing::WriteFile(path, R"({"run": "r/run.clawrun", "detectors": "d.textproto", "telemetry": "the run file",
    "scenario": "incentives_public_leaderboard", "seed": 3, "days": 56, "run_fingerprint": "0123456789abcdef",
    "min_performative_share": 0.05, "best_employee_detector": "short-heartbeats", "best_agent_detector": "untraced-writes",
    "best_injection_detector": "",
    "results": [
      {"name": "short-heartbeats", "kind": "rule", "entity": "employee", "label": "tokenmaxxer", "threshold": 1,
       "entities": 987, "positives": 148, "flagged": 90, "true_positives": 70, "false_positives": 20, "precision": 0.778,
       "recall": 0.473, "f1": 0.588, "detected_with_time": 70, "ttd_median_days": 1.7, "ttd_mean_days": 2.0,
       "pr_curve": [{"threshold": 3, "precision": 1, "recall": 0.1}, {"threshold": 1, "precision": 0.778, "recall": 0.473},
                    {"threshold": 0.2, "precision": 0.15, "recall": 1}]},
      {"name": "a-detector-with-a-very-long-name-that-a-narrow-legend-cannot-hold-whole", "kind": "robust_z",
       "entity": "employee", "label": "tokenmaxxer", "threshold": 3.5, "entities": 987, "positives": 148, "flagged": 200,
       "true_positives": 90, "false_positives": 110, "precision": 0.45, "recall": 0.608, "f1": 0.517,
       "pr_curve": [{"threshold": 9, "precision": 0.9, "recall": 0.2}, {"threshold": 3.5, "precision": 0.45, "recall": 0.608}]},
      {"name": "untraced-writes", "kind": "rule", "entity": "agent", "label": "attacker_driven", "threshold": 1,
       "entities": 1200, "positives": 5, "flagged": 5, "true_positives": 5, "precision": 1, "recall": 1, "f1": 1,
       "detected_with_time": 5, "ttd_median_days": 0.6, "pr_curve": [{"threshold": 5, "precision": 1, "recall": 1}]}
    ]})");
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
