#include "viz/file_dialog.h"

#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace clawsim::viz {

namespace fs = std::filesystem;

void FileDialog::Show() {
  open_requested_ = true;
  if (directory_.empty()) {
    std::error_code ec;
    directory_ = fs::current_path(ec).string();
  }
  List();
}

void FileDialog::List() {
  folders_.clear();
  files_.clear();
  std::error_code ec;
  for (fs::directory_iterator it(directory_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      folders_.push_back(name);
    } else if (it->path().extension() == ".clawrun") {
      files_.push_back(name);
    }
  }
  std::sort(folders_.begin(), folders_.end());
  std::sort(files_.begin(), files_.end());
}

bool FileDialog::Draw(std::string* path) {
  if (open_requested_) {
    ImGui::OpenPopup("Open run file");
    open_requested_ = false;
  }
  bool chosen = false;
  ImGui::SetNextWindowSize(ImVec2(560, 420), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Open run file")) return false;
  ImGui::TextDisabled("%s", directory_.c_str());
  ImGui::SetNextItemWidth(-80);
  const bool enter = ImGui::InputTextWithHint("##path", "path to a .clawrun file", path_, sizeof path_,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || enter) && path_[0] != '\0') {
    *path = path_;
    chosen = true;
  }
  ImGui::BeginChild("entries", ImVec2(0, -30), true);
  if (ImGui::Selectable("..")) {
    directory_ = fs::path(directory_).parent_path().string();
    List();
  }
  for (const std::string& f : folders_) {
    if (ImGui::Selectable((f + "/").c_str())) {
      directory_ = (fs::path(directory_) / f).string();
      List();
      break;
    }
  }
  for (const std::string& f : files_) {
    if (ImGui::Selectable(f.c_str())) {
      *path = (fs::path(directory_) / f).string();
      chosen = true;
    }
  }
  ImGui::EndChild();
  if (ImGui::Button("Cancel") || chosen) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return chosen;
}

}  // namespace clawsim::viz
