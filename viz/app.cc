#include "viz/app.h"

#include <imgui.h>

#include <charconv>

#include "viz/format.h"

namespace clawsim::viz {

App::~App() {
  for (auto& r : runs_) r->progress.cancel = true;
  for (auto& r : runs_) {
    if (r->worker.joinable()) r->worker.join();
  }
}

void App::Open(const std::string& path) {
  // Study results are small: read at once, into the Study tab.
  if (IsStudyFile(path)) {
    auto study = std::make_unique<StudyData>();
    Status s = LoadStudyFile(path, study.get());
    if (s.ok()) {
      study_ = std::move(study);
      requested_panel_ = static_cast<int>(PanelId::kStudy);
    } else {
      study_errors_.push_back(s.message());
    }
    return;
  }
  if (IsDetectionFile(path)) {
    auto detection = std::make_unique<DetectionData>();
    Status s = LoadDetectionFile(path, detection.get());
    if (s.ok()) {
      detection_ = std::move(detection);
      requested_panel_ = static_cast<int>(PanelId::kDetection);
    } else {
      study_errors_.push_back(s.message());
    }
    return;
  }
  auto run = std::make_unique<OpenRun>();
  run->path = path;
  run->loading = std::make_unique<RunData>();
  OpenRun* r = run.get();
  r->worker = std::thread([r] {
    r->load_status = LoadRunFile(r->path, &r->progress, r->loading.get());
    r->done.store(true, std::memory_order_release);
  });
  runs_.push_back(std::move(run));
  current_ = static_cast<int>(runs_.size()) - 1;
}

bool App::Loading() const {
  for (const auto& r : runs_) {
    if (r->worker.joinable() && !r->done.load(std::memory_order_acquire)) return true;
  }
  return false;
}

void App::WaitForLoads() {
  for (auto& r : runs_) {
    if (r->worker.joinable()) r->worker.join();
  }
  Collect();
}

void App::Collect() {
  for (auto& r : runs_) {
    if (r->collected || !r->done.load(std::memory_order_acquire)) continue;
    if (r->worker.joinable()) r->worker.join();
    r->collected = true;
    if (r->load_status.ok()) {
      r->data = std::move(r->loading);
    } else {
      r->error = r->load_status.message();
      r->loading.reset();
    }
  }
}

const RunData* App::run(int i) const { return i >= 0 && i < run_count() ? runs_[i]->data.get() : nullptr; }

std::vector<std::string> App::Errors() const {
  std::vector<std::string> out = study_errors_;
  for (const auto& r : runs_) {
    if (!r->error.empty()) out.push_back(r->error);
  }
  return out;
}

void App::ShowPanel(PanelId panel) { requested_panel_ = static_cast<int>(panel); }

Status App::Select(const std::string& spec) {
  const RunData* data = run(current_);
  if (data == nullptr) return Status::Error("--select " + spec + ": no run loaded");
  ViewState& state = runs_[current_]->state;
  const size_t colon = spec.find(':');
  const std::string kind = colon == std::string::npos ? "employee" : spec.substr(0, colon);
  const std::string what = colon == std::string::npos ? spec : spec.substr(colon + 1);
  uint64_t number = 0;
  const auto [end, ec] = std::from_chars(what.data(), what.data() + what.size(), number);
  const bool numeric = ec == std::errc() && end == what.data() + what.size();
  if (kind == "item") {
    const RecordRef r = data->causal.InjectionByItem(number);
    if (!numeric || !r.valid()) return Status::Error("--select " + spec + ": the run has no injection email with that item id");
    state.Select(r);
    state.selected_employee = data->injections[r.index].employee;
    return Status::Ok();
  }
  if (kind == "span" || kind == "audit") {
    const RecordRef r = kind == "span" ? data->causal.SpanById(number) : data->causal.AuditById(number);
    const size_t rows = kind == "span" ? data->spans.size() : data->audit.size();
    if (!numeric || !r.valid() || r.index >= rows) {
      return Status::Error("--select " + spec + ": the run has no " + kind + " with that id");
    }
    state.Select(r);
    state.selected_employee = kind == "span" ? (data->spans[r.index].employee != kNone ? data->spans[r.index].employee
                                                                                      : state.selected_employee)
                                             : data->audit[r.index].employee;
    return Status::Ok();
  }
  if (kind != "employee") {
    return Status::Error("--select " + spec + ": expected employee:ID, employee:NAME, span:ID, audit:ID or item:ID");
  }
  for (int e = 0; e < data->header.employee_names_size(); ++e) {
    if ((numeric && number == static_cast<uint64_t>(e)) || data->header.employee_names(e) == what) {
      state.selected_employee = e;
      return Status::Ok();
    }
  }
  return Status::Error("--select " + spec + ": the run has no employee with that id or name");
}

void App::DrawRunStatus(OpenRun& r) {
  if (!r.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("Cannot show %s:", r.path.c_str());
    ImGui::TextWrapped("%s", r.error.c_str());
    ImGui::PopStyleColor();
    ImGui::TextWrapped("The file is damaged, was not completely written, or was written by a clawsim this viewer "
                       "cannot read. Nothing else is affected; open another file.");
    return;
  }
  const uint64_t total = r.progress.bytes_total.load();
  const uint64_t read = r.progress.bytes_read.load();
  const float fraction = total > 0 ? static_cast<float>(static_cast<double>(read) / static_cast<double>(total)) : 0;
  ImGui::Text("Loading %s", r.path.c_str());
  const std::string overlay = FormatCount(static_cast<double>(read >> 20)) + " of " +
                              FormatCount(static_cast<double>(total >> 20)) + " MiB";
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), overlay.c_str());
}

void App::DrawTopBar() {
  if (ImGui::Button("Open...")) dialog_.Show();
  std::string chosen;
  if (dialog_.Draw(&chosen)) Open(chosen);
  for (int i = 0; i < run_count(); ++i) {
    ImGui::SameLine();
    const OpenRun& r = *runs_[i];
    // The scenario, seed and the folder the run was written to: two runs of one scenario differ.
    std::string folder = r.path;
    if (const size_t slash = folder.find_last_of('/'); slash != std::string::npos) folder.resize(slash);
    if (const size_t slash = folder.find_last_of('/'); slash != std::string::npos) folder = folder.substr(slash + 1);
    std::string label = r.data ? r.data->header.scenario_name() + " s" + std::to_string(r.data->header.seed()) + " (" +
                                     folder + ")"
                               : (r.error.empty() ? "loading..." : "error");
    label += "##run" + std::to_string(i);
    if (ImGui::RadioButton(label.c_str(), current_ == i)) current_ = i;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.path.c_str());
  }
  if (study_ != nullptr) {
    ImGui::SameLine();
    ImGui::TextDisabled("| study %s", study_->name.c_str());
  }
  if (detection_ != nullptr) {
    ImGui::SameLine();
    ImGui::TextDisabled("| detection");
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s, seed %llu: %s", detection_->results.scenario().c_str(),
                        static_cast<unsigned long long>(detection_->results.seed()), detection_->path.c_str());
    }
  }
  if (runs_.empty() && study_ == nullptr && detection_ == nullptr) {
    ImGui::SameLine();
    ImGui::TextDisabled("Open a run file, study results or a detection result: clawsim-view FILE, the Open button, or "
                        "drop it on the window.");
  }
}

void App::DrawPanel(PanelId id, OpenRun* run) {
  front_panel = id;
  if (id == PanelId::kStudy || id == PanelId::kDetection) {
    for (const std::string& e : study_errors_) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", e.c_str());
    if (id == PanelId::kStudy) {
      study.Draw(study_.get());
    } else {
      detection.Draw(detection_.get());
    }
    return;
  }
  if (run == nullptr) {
    ImGui::TextDisabled("No run file open: open one with the Open button, the command line or drag and drop.");
    return;
  }
  OpenRun& r = *run;
  const RunData* data = r.data.get();
  if (id == PanelId::kCompare) {
    std::vector<const RunData*> all;
    for (const auto& o : runs_) all.push_back(o->data.get());
    compare.Draw(all, current_, r.state);
    return;
  }
  if (data == nullptr) {
    DrawRunStatus(r);
    return;
  }
  // The Inspector beside the Timeline, Audit log and Harms: a third of a wide window, less of a narrow one.
  const float avail_x = ImGui::GetContentRegionAvail().x;
  const float side = avail_x * (avail_x >= 1500 ? 0.32f : 0.28f);
  switch (id) {
    case PanelId::kOverview: overview.Draw(*data, r.state); break;
    case PanelId::kTimeseries: timeseries.Draw(*data, r.state); break;
    case PanelId::kLeaderboard: leaderboard.Draw(*data, r.state); break;
    case PanelId::kScatter: scatter.Draw(*data, r.state); break;
    case PanelId::kInspector: inspector.Draw(*data, r.state); break;
    case PanelId::kGraphs: graphs.Draw(*data, r.state); break;
    case PanelId::kTimeline:
    case PanelId::kAudit:
    case PanelId::kHarms:
      // The Inspector beside them: select on the left, follow causes on the right.
      ImGui::BeginChild("main", ImVec2(ImGui::GetContentRegionAvail().x - side - 6, 0));
      if (id == PanelId::kTimeline) {
        timeline.Draw(*data, r.state);
      } else if (id == PanelId::kHarms) {
        harms.Draw(*data, r.state);
      } else {
        audit.Draw(*data, r.state);
      }
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("side", ImVec2(0, 0), true);
      inspector.Draw(*data, r.state);
      ImGui::EndChild();
      break;
    case PanelId::kCompare:
    case PanelId::kStudy:
    case PanelId::kDetection: break;
  }
}

void App::DrawTabs(OpenRun* r) {
  if (!ImGui::BeginTabBar("panels")) return;
  for (int i = 0; i < kPanelCount; ++i) {
    const PanelId id = static_cast<PanelId>(i);
    const ImGuiTabItemFlags flags = requested_panel_ == i ? ImGuiTabItemFlags_SetSelected : 0;
    if (ImGui::BeginTabItem(PanelTitle(id), nullptr, flags)) {
      DrawPanel(id, r);
      ImGui::EndTabItem();
    }
  }
  requested_panel_ = -1;
  ImGui::EndTabBar();
}

void App::Draw() {
  Collect();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  // No background fill (Platform::Render clears to its colour), but the border stays.
  ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 0));
  ImGui::Begin("clawsim-view", nullptr, flags);
  ImGui::PopStyleColor();
  DrawTopBar();
  ImGui::Separator();
  if (current_ >= 0 && current_ < run_count()) {
    OpenRun& r = *runs_[current_];
    if (r.data == nullptr) {
      DrawRunStatus(r);
    } else {
      // A panel that selected something asks, through the state, for another tab.
      if (r.state.requested_tab >= 0) {
        requested_panel_ = r.state.requested_tab;
        r.state.requested_tab = -1;
      }
      DrawTabs(&r);
    }
  } else if (study_ != nullptr || detection_ != nullptr || !study_errors_.empty()) {
    DrawTabs(nullptr);  // a study or a detection result without runs
  }
  ImGui::End();
}

}  // namespace clawsim::viz
