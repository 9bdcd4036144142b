// A minimal file dialog (ImGui has none): a path field, the current directory's folders and
// .clawrun files, click a folder to enter it, click a file or press Open to open it.
#pragma once

#include <string>
#include <vector>

namespace clawsim::viz {

class FileDialog {
 public:
  // Makes the dialog appear in the next Draw().
  void Show();
  // Draws the dialog if shown; returns true and sets *path when the user chose a file.
  bool Draw(std::string* path);

 private:
  void List();
  bool open_requested_ = false;
  std::string directory_;
  std::vector<std::string> folders_;
  std::vector<std::string> files_;
  char path_[1024] = {};
};

}  // namespace clawsim::viz
