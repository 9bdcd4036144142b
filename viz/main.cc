// clawsim-view [FILE...]: the viewer.
// clawsim-view --screenshot OUT.png [--panel NAME] [--size WxH] [--select ID] FILE...:
//   renders one frame without a display and writes it as a PNG; exits 1 if a file could not
//   be read (the PNG then shows the message), 2 on bad arguments or no way to render.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "viz/app.h"
#include "viz/platform.h"

namespace {

using clawsim::Status;
using namespace clawsim::viz;

constexpr const char* kUsage =
    "usage: clawsim-view [FILE...]\n"
    "       clawsim-view --screenshot OUT.png [--panel NAME] [--size WxH] [--select ID] FILE...\n"
    "Opens clawsim run files (.clawrun), study results (study.clawstudy) and detection results (clawsim detect's\n"
    "detection.json). With --screenshot, renders without a display and writes a PNG.\n"
    "  --panel NAME   a tab's label, any case: Overview, Harms, \"Time series\", Leaderboard, \"Tokens vs value\",\n"
    "                 Timeline, Inspector, \"Audit log\", Graphs, Compare, Study or Detection (default Overview)\n"
    "  --size WxH     image size in pixels (default 1600x900)\n"
    "  --select ID    employee:ID, employee:NAME, span:ID, audit:ID or item:ID (an injection email);\n"
    "                 a bare ID is an employee\n";

struct Options {
  std::vector<std::string> files;
  std::string screenshot;
  PanelId panel = PanelId::kOverview;
  int width = 1600;
  int height = 900;
  std::string select;
};

Status Parse(int argc, char** argv, Options* o, bool* help) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return Status::Error(a + " needs a value");
      *out = argv[++i];
      return Status::Ok();
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      *help = true;
    } else if (a == "--screenshot") {
      Status s = value(&o->screenshot);
      if (!s.ok()) return s;
    } else if (a == "--panel") {
      Status s = value(&v);
      if (!s.ok()) return s;
      if (!ParsePanelName(v.c_str(), &o->panel)) {
        std::string names;
        for (int p = 0; p < kPanelCount; ++p) names += std::string(p > 0 ? ", " : "") + PanelTitle(static_cast<PanelId>(p));
        return Status::Error("unknown panel '" + v + "'; the panels are " + names);
      }
    } else if (a == "--size") {
      Status s = value(&v);
      if (!s.ok()) return s;
      if (std::sscanf(v.c_str(), "%dx%d", &o->width, &o->height) != 2 || o->width < 200 || o->height < 150 ||
          o->width > 8192 || o->height > 8192) {
        return Status::Error("--size wants WxH between 200x150 and 8192x8192, got '" + v + "'");
      }
    } else if (a == "--select") {
      Status s = value(&o->select);
      if (!s.ok()) return s;
    } else if (a.size() > 1 && a[0] == '-') {
      return Status::Error("unknown flag '" + a + "'");
    } else {
      o->files.push_back(a);
    }
  }
  if (!o->screenshot.empty() && o->files.empty()) return Status::Error("--screenshot needs at least one FILE");
  return Status::Ok();
}

void SetUpImGui() {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini: the viewer leaves no files behind
  ImGui::StyleColorsDark();
  ImGui::GetStyle().FrameRounding = 3;
}

int Screenshot(const Options& o) {
  std::unique_ptr<Platform> platform;
  Status s = Platform::CreateHeadless(o.width, o.height, &platform);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim-view: %s\n", s.message().c_str());
    return 2;
  }
  App app;
  for (const std::string& f : o.files) app.Open(f);
  app.set_current(0);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(o.width), static_cast<float>(o.height));
  io.DeltaTime = 1.0f / 60;
  io.MousePos = ImVec2(-1, -1);  // no mouse: no hover effects
  auto frame = [&] {
    platform->NewFrame();
    ImGui::NewFrame();
    app.Draw();
    ImGui::Render();
    platform->Render(ImGui::GetDrawData());
  };
  // Frames while loading (the progress bar), a few a second so that rendering, which is done
  // in software here, leaves the cores to the loader; then the requested view.
  while (app.Loading()) {
    frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  app.WaitForLoads();
  int rc = 0;
  for (const std::string& e : app.Errors()) {
    std::fprintf(stderr, "clawsim-view: %s\n", e.c_str());
    rc = 1;
  }
  if (!o.select.empty() && rc == 0) {
    s = app.Select(o.select);
    if (!s.ok()) {
      std::fprintf(stderr, "clawsim-view: %s\n", s.message().c_str());
      rc = 1;
    }
  }
  app.ShowPanel(o.panel);
  for (int i = 0; i < 4; ++i) frame();  // tabs and tables settle their layout over a few frames
  int w = 0, h = 0;
  std::vector<uint8_t> rgba;
  s = platform->ReadPixels(&w, &h, &rgba);
  if (s.ok()) s = WritePng(o.screenshot, w, h, rgba);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim-view: %s\n", s.message().c_str());
    return 2;
  }
  return rc;
}

int Interactive(const Options& o) {
  std::unique_ptr<Platform> platform;
  Status s = Platform::CreateWindow(o.width, o.height, "clawsim-view", &platform);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim-view: %s\n", s.message().c_str());
    return 2;
  }
  App app;
  for (const std::string& f : o.files) app.Open(f);
  if (!o.files.empty()) app.set_current(0);
  bool selected = o.select.empty();
  while (!platform->ShouldClose()) {
    // While a file loads and nothing happens, draw a few frames a second: the loader needs
    // the cores more than the progress bar needs 60 frames.
    if (app.Loading()) platform->WaitEvents(0.1);
    platform->NewFrame();
    for (const std::string& path : platform->TakeDroppedPaths()) app.Open(path);
    if (!selected && !app.Loading()) {
      selected = true;
      Status sel = app.Select(o.select);
      if (!sel.ok()) std::fprintf(stderr, "clawsim-view: %s\n", sel.message().c_str());
    }
    ImGui::NewFrame();
    app.Draw();
    ImGui::Render();
    platform->Render(ImGui::GetDrawData());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool help = false;
  Status s = Parse(argc, argv, &o, &help);
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim-view: %s\n%s", s.message().c_str(), kUsage);
    return 2;
  }
  SetUpImGui();
  const int rc = o.screenshot.empty() ? Interactive(o) : Screenshot(o);
  ImGui::DestroyContext();
  return rc;
}
