// Every panel at the two sizes the viewer is read at, 1600x900 and 1280x720: no text is drawn
// past the rectangle it is clipped to (a table column, a chart, a box). The test reads the
// frame's draw lists: a glyph is a textured quad, and one that reaches past its command's
// clip rectangle is text cut off on screen. (ImGui drops glyphs wholly outside the rectangle,
// so a cut that falls exactly between two glyphs goes unseen; ellipsised labels are not cuts.)
#include <gtest/gtest.h>

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
