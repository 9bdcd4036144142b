#include "viz/panels/detection.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "viz/format.h"
#include "viz/panels/elide.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

// Ten colours a reader can tell apart (Tableau 10), one per detector in file order.
constexpr ImU32 kLine[] = {IM_COL32(31, 119, 180, 255),  IM_COL32(255, 127, 14, 255), IM_COL32(44, 160, 44, 255),
                           IM_COL32(214, 39, 40, 255),   IM_COL32(148, 103, 189, 255), IM_COL32(140, 86, 75, 255),
                           IM_COL32(227, 119, 194, 255), IM_COL32(160, 160, 160, 255), IM_COL32(188, 189, 34, 255),
                           IM_COL32(23, 190, 207, 255)};

const char* LabelTitle(const std::string& label) {
  if (label == "tokenmaxxer") return "People: tokenmaxxers";
  if (label == "attacker_driven") return "Agents: attacker-driven";
  if (label == "injection_followed") return "Agents: followed an injection";
  return label.c_str();
}

// One plot: precision (y) against recall (x), both [0, 1], for the results of one label.
void DrawPlot(const proto::DetectionResults& d, const std::string& label, ImVec2 origin, ImVec2 size, int* curves) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  std::vector<int> rows;
  uint32_t positives = 0;
  for (int i = 0; i < d.results_size(); ++i) {
    if (d.results(i).label() != label) continue;
    rows.push_back(i);
    positives = std::max(positives, d.results(i).positives());
  }
  char title[160];
  std::snprintf(title, sizeof title, "%s (%u positives)", LabelTitle(label), positives);
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), title);
  // The legend under the plot: a row per detector.
  const float legend_h = static_cast<float>(rows.size()) * (line + 2) + 4;
  const float y_label_w = ImGui::CalcTextSize("0.8").x + 8;
  const ImVec2 p0(origin.x + y_label_w + line + 6, origin.y + line + 8);
  const float side = std::max(60.0f, std::min(size.x - (p0.x - origin.x) - 10, size.y - legend_h - 3 * line - 24));
  const ImVec2 p1(p0.x + side, p0.y + side);
  auto sx = [&](double r) { return p0.x + static_cast<float>(r) * (p1.x - p0.x); };
  auto sy = [&](double p) { return p1.y - static_cast<float>(p) * (p1.y - p0.y); };
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 8));
  for (int t = 0; t <= 5; ++t) {
    const double v = t / 5.0;
    char tick[8];
    std::snprintf(tick, sizeof tick, "%.1f", v);
    dl->AddLine(ImVec2(sx(v), p0.y), ImVec2(sx(v), p1.y), colors::kGrid);
    dl->AddLine(ImVec2(p0.x, sy(v)), ImVec2(p1.x, sy(v)), colors::kGrid);
    dl->AddText(ImVec2(sx(v) - ImGui::CalcTextSize(tick).x / 2, p1.y + 3), colors::kAxisText, tick);
    dl->AddText(ImVec2(p0.x - 6 - ImGui::CalcTextSize(tick).x, sy(v) - line / 2), colors::kAxisText, tick);
  }
  const char* x_title = "recall: share of positives flagged";
  dl->AddText(ImVec2((p0.x + p1.x - ImGui::CalcTextSize(x_title).x) / 2, p1.y + line + 4), colors::kAxisText, x_title);
  // The y title, one word a line down the left edge (ImGui draws no rotated text).
  float wy = (p0.y + p1.y) / 2 - 2 * line;
  for (const char* word : {"pre-", "ci-", "sion"}) {
    dl->AddText(ImVec2(origin.x, wy), colors::kAxisText, word);
    wy += line;
  }
  if (rows.empty()) return;
  if (positives == 0) {
    const char* none = "no positives in this run: every flag is false";
    dl->AddText(ImVec2((p0.x + p1.x - ImGui::CalcTextSize(none).x) / 2, (p0.y + p1.y) / 2), colors::kAxisText, none);
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const proto::PrPoint* nearest = nullptr;
  const proto::DetectorResult* nearest_of = nullptr;
  float nearest_d2 = 8 * 8;
  dl->PushClipRect(ImVec2(p0.x - 6, p0.y - 6), ImVec2(p1.x + 6, p1.y + 6), true);
  for (size_t k = 0; k < rows.size(); ++k) {
    const proto::DetectorResult& r = d.results(rows[k]);
    const ImU32 colour = kLine[k % 10];
    std::vector<ImVec2> pts;
    for (const proto::PrPoint& p : r.pr_curve()) {
      pts.emplace_back(sx(p.recall()), sy(p.precision()));
      const float dx = pts.back().x - mouse.x, dy = pts.back().y - mouse.y;
      if (dx * dx + dy * dy < nearest_d2) nearest_d2 = dx * dx + dy * dy, nearest = &p, nearest_of = &r;
    }
    if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, ImDrawFlags_None, 2.0f);
    // The operating point: the detector at its own threshold.
    dl->AddCircleFilled(ImVec2(sx(r.recall()), sy(r.precision())), 5.0f, colour);
    dl->AddCircle(ImVec2(sx(r.recall()), sy(r.precision())), 5.0f, IM_COL32(0, 0, 0, 255));
    ++*curves;
  }
  dl->PopClipRect();
  // The legend: the whole line where it fits; else the figures alone after the name, elided in
  // its middle (the whole line on hover).
  float ly = p1.y + 2 * line + 10;
  const float room = size.x - 22;
  for (size_t k = 0; k < rows.size(); ++k) {
    const proto::DetectorResult& r = d.results(rows[k]);
    char figures[160];
    std::snprintf(figures, sizeof figures, ": P %.2f, R %.2f, F1 %.2f", r.precision(), r.recall(), r.f1());
    std::string full = r.name() + figures + ", " + std::to_string(r.flagged()) + " flagged";
    if (r.detected_with_time() > 0) {
      char ttd[64];
      std::snprintf(ttd, sizeof ttd, ", median %.1f d to detection", r.ttd_median_days());
      full += ttd;
    }
    std::string shown = full;
    if (ImGui::CalcTextSize(shown.c_str()).x > room) {
      shown = ElideMiddle(r.name(), std::max(0.0f, room - ImGui::CalcTextSize(figures).x)) + figures;
    }
    dl->AddLine(ImVec2(origin.x, ly + line / 2), ImVec2(origin.x + 18, ly + line / 2), kLine[k % 10], 3.0f);
    dl->AddText(ImVec2(origin.x + 22, ly), colors::kAxisText, shown.c_str());
    if (shown != full && mouse.y >= ly && mouse.y < ly + line && mouse.x >= origin.x && mouse.x < origin.x + size.x) {
      ImGui::SetTooltip("%s", full.c_str());
    }
    ly += line + 2;
  }
  if (nearest != nullptr && ImGui::IsWindowHovered()) {
    ImGui::SetTooltip("%s (%s)\nthreshold %.4g: precision %.3f, recall %.3f", nearest_of->name().c_str(),
                      nearest_of->kind().c_str(), nearest->threshold(), nearest->precision(), nearest->recall());
  }
}

}  // namespace

void DetectionPanel::Draw(const DetectionData* detection) {
  plots_shown = 0;
  curves_shown = 0;
  if (detection == nullptr) {
    ImGui::TextDisabled("No detection result open. Make one with clawsim detect RUNFILE --detectors FILE and open its "
                        "detection.json here (clawsim-view detect/detection.json, the Open button, or drag and drop).");
    return;
  }
  const proto::DetectionResults& d = detection->results;
  ImGui::Text("%s, seed %llu, %u days: %d detector results (%s)", d.scenario().c_str(),
              static_cast<unsigned long long>(d.seed()), d.days(), d.results_size(), detection->path.c_str());
  ImGui::TextDisabled("Precision against recall as each detector's threshold falls (each entity at its highest score); "
                      "the dot is the detector at its own threshold. Hover a curve for a threshold.");
  std::vector<std::string> labels;
  for (const char* l : {"tokenmaxxer", "attacker_driven", "injection_followed"}) {
    for (const proto::DetectorResult& r : d.results()) {
      if (r.label() == l) {
        labels.push_back(l);
        break;
      }
    }
  }
  for (const proto::DetectorResult& r : d.results()) {
    if (std::find(labels.begin(), labels.end(), r.label()) == labels.end()) labels.push_back(r.label());
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::Dummy(avail);
  const float w = avail.x / static_cast<float>(std::max<size_t>(1, labels.size()));
  for (size_t i = 0; i < labels.size(); ++i) {
    DrawPlot(d, labels[i], ImVec2(origin.x + w * static_cast<float>(i), origin.y), ImVec2(w - 16, avail.y), &curves_shown);
    ++plots_shown;
  }
}

}  // namespace clawsim::viz
