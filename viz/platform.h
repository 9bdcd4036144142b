// Platform: the one file of backend glue (GLFW window or headless EGL context, OpenGL 3, the
// ImGui GLFW/OpenGL3 backends from Debian's libimgui, PNG output). The rest of the viewer
// knows only ImGui.
//
// Headless rendering tries, in order: EGL on Mesa's surfaceless platform (no display, no X
// server: llvmpipe renders in software), then a hidden GLFW window (works under a virtual X
// server such as `xvfb-run`). Both draw into an offscreen framebuffer read back by
// ReadPixels. UI thread only; one Platform at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/common/status.h"

struct ImDrawData;

namespace clawsim::viz {

class Platform {
 public:
  virtual ~Platform() = default;

  // A window of width x height pixels with an ImGui context's GLFW and OpenGL3 backends
  // installed. The caller creates the ImGui context first.
  static Status CreateWindow(int width, int height, const std::string& title, std::unique_ptr<Platform>* out);
  // An offscreen RGBA framebuffer of width x height, OpenGL 3.3 core, with the OpenGL3
  // backend installed; no input backend (the caller sets io.DisplaySize and io.DeltaTime).
  static Status CreateHeadless(int width, int height, std::unique_ptr<Platform>* out);

  // Window: true once the user closed it. Headless: always false.
  virtual bool ShouldClose() = 0;
  // Polls events (window) and starts the backends' frame; call before ImGui::NewFrame().
  virtual void NewFrame() = 0;
  // Window: sleeps until an input event or `timeout_s` passes. Headless: returns at once.
  virtual void WaitEvents(double timeout_s) = 0;
  // Clears, renders `data` (after ImGui::Render()) and presents or finishes the frame. The
  // clear colour is what a full-screen window of the current ImGui style would leave (its
  // WindowBg over the base colour), so a full-screen host window may leave its background
  // out (a transparent WindowBg while it begins): the same picture without a full-screen
  // blend, which a software rasterizer pays for on every pixel of every frame.
  virtual void Render(ImDrawData* data) = 0;
  // Waits until the GPU has finished every frame so far (for frame timings).
  virtual void Finish() = 0;
  // The last rendered frame as RGBA rows, top row first.
  virtual Status ReadPixels(int* width, int* height, std::vector<uint8_t>* rgba) = 0;
  // Paths dropped on the window since the last call.
  virtual std::vector<std::string> TakeDroppedPaths() = 0;
  // How the frame is rendered, e.g. "EGL surfaceless (llvmpipe ...)".
  virtual std::string Describe() const = 0;
};

// Writes RGBA rows (top first) as a PNG.
Status WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba);

}  // namespace clawsim::viz
