// Every panel at the two sizes the viewer is read at, 1600x900 and 1280x720: no text is drawn
// past the rectangle it is clipped to (a table column, a chart, a box). The test reads the
// frame's draw lists: a glyph is a textured quad, and one that reaches past its command's
// clip rectangle is text cut off on screen. (ImGui drops glyphs wholly outside the rectangle,
// so a cut that falls exactly between two glyphs goes unseen; ellipsised labels are not cuts.)
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/viz/viz_test_util.h"
#include "viz/app.h"

namespace clawsim::viz {
namespace {

// Glyph vertices of the last frame that lie past their clip rectangle's left or right edge;
// *example describes the first.
int TextPastItsClip(std::string* example) {
  const ImDrawData* dd = ImGui::GetDrawData();
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  int past = 0;
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* list = dd->CmdLists[l];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback != nullptr) continue;
      for (unsigned int i = 0; i < cmd.ElemCount; ++i) {
        const ImDrawVert& v = list->VtxBuffer[list->IdxBuffer[cmd.IdxOffset + i] + cmd.VtxOffset];
        if (v.uv.x == white.x && v.uv.y == white.y) continue;  // not a glyph
        if (v.pos.x <= cmd.ClipRect.z + 0.5f && v.pos.x >= cmd.ClipRect.x - 0.5f) continue;
        if (v.pos.y > cmd.ClipRect.w || v.pos.y < cmd.ClipRect.y) continue;  // scrolled out of view, not cut
        if (past++ == 0 && example != nullptr) {
          *example = std::string("in ") + (list->_OwnerName != nullptr ? list->_OwnerName : "?") + ": a glyph at x " +
                     std::to_string(v.pos.x) + ", y " + std::to_string(v.pos.y) + ", clipped to x " +
                     std::to_string(cmd.ClipRect.x) + " to " + std::to_string(cmd.ClipRect.z);
        }
      }
    }
  }
  return past;
}

// A run whose organisation has the shipped scenarios' long names: 40 teams (some named
// "recommendations-platform-engineering") and 60 services in 12 dependency layers named like
// "recommendations-aggregation-worker-3". Only the header's scenario text matters to Graphs.
std::string WriteLongNamesRun() {
  run::RunInfo info = run::testing::SampleRunInfo();
  std::string text = "name: \"long-names\"\nrun { days: 3 }\norganization {\n";
  for (int t = 0; t < 40; ++t) {
    text += "  teams { name: \"" + std::string(t % 3 == 0 ? "recommendations-platform-engineering-" : "team-") +
            std::to_string(t) + "\"" + (t > 0 ? " parent: \"" + std::string("recommendations-platform-engineering-0") + "\"" : "") +
            " }\n";
  }
  text += "}\ndeploy {\n";
  const char* stems[] = {"recommendations-aggregation", "notifications-fanout", "observability", "design-system",
                         "mobile-android-bff"};
  auto name = [&](int layer, int k) {
    return std::string(stems[k]) + (k % 2 == 0 ? "-worker-" : "-api-") + std::to_string(layer);
  };
  for (int layer = 0; layer < 12; ++layer) {
    for (int k = 0; k < 5; ++k) {
      text += "  services { name: \"" + name(layer, k) + "\" owner_team: \"team-1\"";
      if (layer > 0) text += " depends_on: \"" + name(layer - 1, k) + "\"";
      text += " }\n";
    }
  }
  text += "}\n";
  info.scenario_name = "long-names";
  info.scenario_textproto = text;
  const std::string path = run::testing::FreshTestDir() + "/long-names.clawrun";
  run::RunFileWriter w;
  Status st = w.Open(path);
  if (st.ok()) st = w.WriteHeader(info);
  if (st.ok()) st = w.WriteFooter(run::testing::SampleSummary(), 1.0);
  if (st.ok()) st = w.Commit();
  EXPECT_TRUE(st.ok()) << st.message();
  return path;
}

// Long team and service names in the Graphs panel: nothing drawn past its box at either size,
// and every name that had to be cut to fit is listed whole (GraphsPanel::shortened).
TEST(LayoutTest, GraphsFitLongNamesAndListTheOnesCut) {
  const std::string path = WriteLongNamesRun();
  for (const ImVec2 size : {ImVec2(1600, 900), ImVec2(1280, 720)}) {
    testing::ImGuiHarness imgui;
    ImGui::GetIO().DisplaySize = size;
    ImGui::GetStyle().AntiAliasedLinesUseTex = false;
    App app;
    app.Open(path);
    app.WaitForLoads();
    app.ShowPanel(PanelId::kGraphs);
    for (int f = 0; f < 3; ++f) imgui.Frame([&] { app.Draw(); }, /*window=*/false);
    std::string example;
    EXPECT_EQ(TextPastItsClip(&example), 0) << "Graphs at " << size.x << "x" << size.y << ": " << example;
    const GraphsPanel& g = app.graphs;
    ASSERT_EQ(g.labels.size(), 60u);
    for (size_t i = 0; i < g.labels.size(); ++i) {
      std::string joined;
      for (const std::string& l : g.labels[i]) joined += l;
      const bool cut = joined != g.graph.services[i].name;
      const bool listed = std::find(g.shortened.begin(), g.shortened.end(), i) != g.shortened.end();
      EXPECT_EQ(cut, listed) << g.graph.services[i].name << " shown as " << joined;
    }
    // Names whose pieces are short read whole however many layers there are ("design",
    // "-system", "-worker-3" on lines of their own).
    for (size_t i = 0; i < g.labels.size(); ++i) {
      if (g.graph.services[i].name.rfind("design-system", 0) != 0) continue;
      EXPECT_TRUE(std::find(g.shortened.begin(), g.shortened.end(), i) == g.shortened.end()) << g.graph.services[i].name;
    }
  }
}

TEST(LayoutTest, NoPanelDrawsTextPastItsColumnAtEitherSize) {
  const std::string sample = testing::WriteSample();
  for (const ImVec2 size : {ImVec2(1600, 900), ImVec2(1280, 720)}) {
    testing::ImGuiHarness imgui;
    ImGui::GetIO().DisplaySize = size;
    ImGui::GetStyle().AntiAliasedLinesUseTex = false;  // textured quads are then glyphs only
    App app;
    app.Open(sample);
    app.Open(sample);  // a second run, for Compare
    app.Open(testing::WriteSampleDetection());  // for Detection
    app.WaitForLoads();
    app.set_current(0);
    ASSERT_TRUE(app.Select("audit:1998").ok());  // a deploy.prod with an incident downstream
    for (int p = 0; p < kPanelCount; ++p) {
      app.ShowPanel(static_cast<PanelId>(p));
      for (int f = 0; f < 3; ++f) imgui.Frame([&] { app.Draw(); }, /*window=*/false);
      std::string example;
      EXPECT_EQ(TextPastItsClip(&example), 0)
          << PanelTitle(static_cast<PanelId>(p)) << " at " << size.x << "x" << size.y << ": " << example;
    }
  }
}

}  // namespace
}  // namespace clawsim::viz
