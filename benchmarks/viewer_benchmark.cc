// viewer_benchmark [--spans N] [--lanes N] [--frames N] [--file PATH] [--keep] [--open-only]
//
// The viewer's two performance targets, measured on a synthetic run file:
//   1. open: LoadRunFile on a file of N spans (default 10 M): every record read and checked,
//      the rows kept, the lanes sorted and the causal index built. Target: under 3 s.
//   2. timeline frames: the Timeline panel drawn headless (EGL surfaceless or a hidden
//      window) at 1600x900 over windows holding 0.05%, 10% (about 1 M visible spans in the drawn
//      lanes with the default file) and 100% of the run, each frame built, rendered and
//      finished (glFinish); the build (ImGui and panel code) and render times are reported
//      apart. Target: above 60 frames a second over 1 M visible spans.
// The file has `lanes` agents (default 40, all on screen) with invocations one after another
// over 30 days, each caused by an item; it is written once and removed unless --keep.
// Wall-clock times, so results vary with the machine; the run file itself is deterministic.
#include <imgui.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/common/process_stats.h"
#include "sim/run/run_file_writer.h"
#include "viz/panels/timeline.h"
#include "viz/platform.h"
#include "viz/run_data.h"

namespace {

using namespace clawsim;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// User + system CPU seconds of this process so far (all threads).
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

constexpr int64_t kDayUs = 86'400'000'000LL;
constexpr uint32_t kDays = 30;

Status WriteFile(const std::string& path, uint64_t spans, uint32_t lanes) {
  run::RunInfo info;
  info.scenario_name = "viewer-benchmark";
  info.days = kDays;
  info.trace = run::TraceLevel::kAudit;
  for (uint32_t i = 0; i < lanes; ++i) {
    info.employee_names.push_back("employee-" + std::to_string(i));
    info.agent_names.push_back("employee-" + std::to_string(i) + "/triage");
  }
  info.span_names = {"triage_email", "answer_chat", "daily_briefing"};
  info.outcome_names = {"ok", "agent_error"};
  run::RunFileWriter writer;
  Status s = writer.Open(path);
  if (s.ok()) s = writer.WriteHeader(info);
  const uint64_t per_lane = spans / lanes;
  const int64_t gap = kDays * kDayUs / static_cast<int64_t>(per_lane);  // start to start, per lane
  // Written in time order across lanes, as a run writes them.
  for (uint64_t k = 0; k < per_lane && s.ok(); ++k) {
    for (uint32_t lane = 0; lane < lanes && s.ok(); ++lane) {
      run::Span span;
      span.kind = run::SpanKind::kAgentInvocation;
      span.start_us = static_cast<int64_t>(k) * gap + (lane * 7919) % (gap / 2);
      span.end_us = span.start_us + gap / 4 + static_cast<int64_t>((k * 31 + lane) % (gap / 5));
      span.agent_id = lane;
      span.employee_id = lane;
      span.name = static_cast<uint32_t>(k % 3);
      span.trigger = static_cast<uint32_t>(k % 4);
      span.purpose = static_cast<uint32_t>(k % 3);
      span.outcome = k % 50 == 0 ? 1 : 0;
      span.input_tokens = 2000 + k % 1000;
      span.output_tokens = 200 + k % 100;
      span.cost_usd = 0.002;
      span.item_id = k * lanes + lane;
      span.causes = {{run::CauseKind::kItem, span.item_id}};
      s = writer.AddSpan(span);
    }
  }
  if (s.ok()) {
    proto::RunFooter footer;
    footer.mutable_summary()->set_scenario("viewer-benchmark");
    s = writer.WriteFooter(footer);
  }
  if (s.ok()) s = writer.Commit();
  return s;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "viewer_benchmark: %s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t spans = 10'000'000;
  uint32_t lanes = 40;
  int frames = 120;
  std::string path = (std::filesystem::temp_directory_path() / "clawsim-viewer-benchmark.clawrun").string();
  bool keep = false;
  bool open_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--spans" && i + 1 < argc) {
      spans = std::stoull(argv[++i]);
    } else if (a == "--lanes" && i + 1 < argc) {
      lanes = static_cast<uint32_t>(std::stoul(argv[++i]));
    } else if (a == "--frames" && i + 1 < argc) {
      frames = std::stoi(argv[++i]);
    } else if (a == "--file" && i + 1 < argc) {
      path = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--open-only") {
      open_only = true;
    } else {
      std::fprintf(stderr, "usage: viewer_benchmark [--spans N] [--lanes N] [--frames N] [--file PATH] [--keep] [--open-only]\n");
      return 2;
    }
  }

  // 1. The file (not timed as part of the targets).
  auto t = Clock::now();
  if (!std::filesystem::exists(path)) {
    Status s = WriteFile(path, spans, lanes);
    if (!s.ok()) return Fail(s);
    std::printf("wrote %s: %llu spans in %.1f s, %.0f MiB\n", path.c_str(), static_cast<unsigned long long>(spans),
                Seconds(t, Clock::now()), static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
  }

  // 2. Open.
  viz::RunData run;
  viz::LoadProgress progress;
  const double cpu0 = CpuSeconds();
  t = Clock::now();
  Status s = viz::LoadRunFile(path, &progress, &run);
  const double open_s = Seconds(t, Clock::now());
  const double open_cpu_s = CpuSeconds() - cpu0;
  if (!s.ok()) return Fail(s);
  double load[1] = {0};
  getloadavg(load, 1);
  std::printf("open: %.2f s wall, %.2f s CPU (both threads) for %zu spans (%.1f M spans/s), peak RSS %.0f MiB, "
              "load average %.1f  [target < 3 s]\n",
              open_s, open_cpu_s, run.spans.size(), static_cast<double>(run.spans.size()) / open_s / 1e6, PeakRssMib(),
              load[0]);

  if (open_only) return 0;

  // 3. Timeline frames, headless.
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  std::unique_ptr<viz::Platform> platform;
  s = viz::Platform::CreateHeadless(1600, 900, &platform);
  if (!s.ok()) return Fail(s);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1600, 900);
  io.DeltaTime = 1.0f / 60;
  io.MousePos = ImVec2(-1, -1);
  viz::ViewState state;
  viz::TimelinePanel timeline;
  double frame_build_ms = 0;
  auto frame = [&] {
    platform->NewFrame();
    const auto b0 = Clock::now();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 0));  // as the viewer's own window (app.cc)
    ImGui::Begin("timeline", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::PopStyleColor();
    timeline.Draw(run, state);
    ImGui::End();
    ImGui::Render();
    frame_build_ms = Seconds(b0, Clock::now()) * 1e3;
    platform->Render(ImGui::GetDrawData());
    platform->Finish();
  };
  std::printf("rendering: %s\n", platform->Describe().c_str());
  const double total_us = static_cast<double>(kDays) * kDayUs;
  // 0.05%: spans a few pixels wide, drawn one by one; 10%: about 1 M spans in view, closer
  // than a pixel, folded; 100%: the whole run.
  for (double share : {0.0005, 0.1, 1.0}) {
    state.timeline_t0_us = static_cast<int64_t>(total_us * 0.45);
    state.timeline_t1_us = state.timeline_t0_us + static_cast<int64_t>(total_us * share);
    if (share == 1.0) state.timeline_t0_us = 0, state.timeline_t1_us = static_cast<int64_t>(total_us);
    for (int i = 0; i < 5; ++i) frame();  // warm up: layout, font texture
    std::vector<double> ms;
    double build_ms = 0;  // the ImGui part: panel code, draw lists (no rendering)
    for (int i = 0; i < frames; ++i) {
      const auto f0 = Clock::now();
      frame_build_ms = 0;
      frame();
      ms.push_back(Seconds(f0, Clock::now()) * 1e3);
      build_ms += frame_build_ms;
    }
    build_ms /= frames;
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double m : ms) mean += m;
    mean /= static_cast<double>(ms.size());
    std::printf("timeline, %.2f%% of the run in view: %llu visible spans in %zu lanes drawn as %llu marks; frame "
                "mean %.2f ms (of which building the frame %.2f ms, rendering it %.2f ms), median %.2f ms, p95 %.2f ms "
                "= %.0f fps  [target > 60 fps]\n",
                share * 100, static_cast<unsigned long long>(timeline.last_visible_spans), timeline.shown_lanes.size(),
                static_cast<unsigned long long>(timeline.last_marks), mean, build_ms, mean - build_ms, ms[ms.size() / 2],
                ms[ms.size() * 95 / 100],
                1000 / mean);
  }
  platform.reset();
  ImGui::DestroyContext();
  if (!keep) std::filesystem::remove(path);
  return 0;
}
