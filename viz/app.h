// App: the viewer's window contents: the open runs (each loaded on its own worker thread with
// a progress bar), a bar to open more (file dialog, drag and drop), and the panels as tabs,
// with the Inspector beside the Timeline and the Audit log. Draw() is one frame; the caller
// owns the ImGui context and the platform (main.cc, tests).
//
// Threads: every method runs on the UI thread. Loading threads write only their own run's
// RunData and progress, and hand the result over through an atomic flag.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/common/status.h"
#include "viz/file_dialog.h"
#include "viz/panels/audit.h"
#include "viz/panels/compare.h"
#include "viz/panels/detection.h"
#include "viz/panels/graphs.h"
#include "viz/panels/harms.h"
#include "viz/panels/inspector.h"
#include "viz/panels/leaderboard.h"
#include "viz/panels/overview.h"
#include "viz/panels/scatter.h"
#include "viz/panels/study.h"
#include "viz/panels/timeline.h"
#include "viz/panels/timeseries.h"
#include "viz/run_data.h"
#include "viz/study_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

class App {
 public:
  App() = default;
  ~App();  // cancels and joins loading threads
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Starts loading a run file on a worker thread (it becomes the run in front), or reads
  // study results (study.clawstudy, recognised by their magic) into the Study tab, or a
  // detection result (clawsim detect's detection.json) into the Detection tab.
  void Open(const std::string& path);
  // Whether any run is still loading; WaitForLoads() blocks until none is.
  bool Loading() const;
  void WaitForLoads();

  // Draws one frame of the whole UI into the display (call between ImGui::NewFrame() and
  // ImGui::Render()). Picks up finished loads first.
  void Draw();

  // Brings a panel to the front (next Draw()).
  void ShowPanel(PanelId panel);
  // Selects in the run in front: "employee:ID", "employee:NAME", "span:ID", "audit:ID",
  // "item:ID" (an injection email), or a bare employee name or id. A record's employee
  // becomes the selected employee too, so every panel shows it. An error names the spec and
  // what it did not find.
  Status Select(const std::string& spec);
  // The study the Study panel shows (Open sets it from a study file; tests set one directly).
  const StudyData* study_data() const { return study_.get(); }
  void SetStudy(std::unique_ptr<StudyData> study) { study_ = std::move(study); }
  // The detection result the Detection panel shows (Open sets it from detection.json).
  const DetectionData* detection_data() const { return detection_.get(); }
  void SetDetection(std::unique_ptr<DetectionData> detection) { detection_ = std::move(detection); }

  // The runs: data (nullptr while loading or after an error), error message, state.
  int run_count() const { return static_cast<int>(runs_.size()); }
  const RunData* run(int i) const;
  const std::string& error(int i) const { return runs_[i]->error; }
  ViewState& state(int i) { return runs_[i]->state; }
  int current() const { return current_; }
  void set_current(int i) { current_ = i; }
  // Every load error so far, "PATH: message", for --screenshot's exit status.
  std::vector<std::string> Errors() const;

  // The panels, for tests.
  OverviewPanel overview;
  HarmsPanel harms;
  TimeseriesPanel timeseries;
  LeaderboardPanel leaderboard;
  ScatterPanel scatter;
  TimelinePanel timeline;
  InspectorPanel inspector;
  AuditPanel audit;
  GraphsPanel graphs;
  ComparePanel compare;
  StudyPanel study;
  DetectionPanel detection;
  PanelId front_panel = PanelId::kOverview;  // the tab drawn in the last frame

 private:
  struct OpenRun {
    std::string path;
    LoadProgress progress;
    std::unique_ptr<RunData> loading;  // owned by the worker until `done`
    Status load_status;                // written by the worker before `done`
    std::atomic<bool> done{false};
    std::thread worker;
    bool collected = false;            // the result has been moved into data / error
    std::unique_ptr<RunData> data;     // UI thread's, once collected
    std::string error;
    ViewState state;
  };
  void Collect();  // moves finished loads into place
  void DrawTopBar();
  void DrawRunStatus(OpenRun& run);
  void DrawTabs(OpenRun* run);               // run: the one in front, or nullptr (a study alone)
  void DrawPanel(PanelId id, OpenRun* run);

  std::vector<std::unique_ptr<OpenRun>> runs_;
  int current_ = -1;
  int requested_panel_ = -1;
  FileDialog dialog_;
  std::unique_ptr<StudyData> study_;
  std::vector<std::string> study_errors_;  // study and detection files that could not be read
  std::unique_ptr<DetectionData> detection_;
};

}  // namespace clawsim::viz
