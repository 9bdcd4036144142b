#include "viz/platform.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace clawsim::viz {
namespace {

// The few OpenGL entry points used here besides the ImGui backend's, loaded at run time from
// whichever API made the context (so nothing links libGL directly).
using GLenum = unsigned int;
using GLuint = unsigned int;
using GLint = int;
using GLsizei = int;
using GLbitfield = unsigned int;
using GLfloat = float;
constexpr GLenum kFramebuffer = 0x8D40, kRenderbuffer = 0x8D41, kRgba8 = 0x8058, kColorAttachment0 = 0x8CE0,
                 kFramebufferComplete = 0x8CD5, kRgba = 0x1908, kUnsignedByte = 0x1401, kColorBufferBit = 0x4000,
                 kPackAlignment = 0x0D05, kRenderer = 0x1F01, kVersion = 0x1F02;

struct Gl {
  void (*GenFramebuffers)(GLsizei, GLuint*) = nullptr;
  void (*BindFramebuffer)(GLenum, GLuint) = nullptr;
  void (*GenRenderbuffers)(GLsizei, GLuint*) = nullptr;
  void (*BindRenderbuffer)(GLenum, GLuint) = nullptr;
  void (*RenderbufferStorage)(GLenum, GLenum, GLsizei, GLsizei) = nullptr;
  void (*FramebufferRenderbuffer)(GLenum, GLenum, GLenum, GLuint) = nullptr;
  GLenum (*CheckFramebufferStatus)(GLenum) = nullptr;
  void (*DeleteFramebuffers)(GLsizei, const GLuint*) = nullptr;
  void (*DeleteRenderbuffers)(GLsizei, const GLuint*) = nullptr;
  void (*Viewport)(GLint, GLint, GLsizei, GLsizei) = nullptr;
  void (*ClearColor)(GLfloat, GLfloat, GLfloat, GLfloat) = nullptr;
  void (*Clear)(GLbitfield) = nullptr;
  void (*Finish)() = nullptr;
  void (*PixelStorei)(GLenum, GLint) = nullptr;
  void (*ReadPixels)(GLint, GLint, GLsizei, GLsizei, GLenum, GLenum, void*) = nullptr;
  const unsigned char* (*GetString)(GLenum) = nullptr;

  template <typename GetProc>
  bool Load(GetProc get) {
    auto load = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(get(name));
      return fn != nullptr;
    };
    return load(GenFramebuffers, "glGenFramebuffers") && load(BindFramebuffer, "glBindFramebuffer") &&
           load(GenRenderbuffers, "glGenRenderbuffers") && load(BindRenderbuffer, "glBindRenderbuffer") &&
           load(RenderbufferStorage, "glRenderbufferStorage") &&
           load(FramebufferRenderbuffer, "glFramebufferRenderbuffer") &&
           load(CheckFramebufferStatus, "glCheckFramebufferStatus") &&
           load(DeleteFramebuffers, "glDeleteFramebuffers") && load(DeleteRenderbuffers, "glDeleteRenderbuffers") &&
           load(Viewport, "glViewport") && load(ClearColor, "glClearColor") && load(Clear, "glClear") &&
           load(Finish, "glFinish") && load(PixelStorei, "glPixelStorei") && load(ReadPixels, "glReadPixels") &&
           load(GetString, "glGetString");
  }
};

const ImVec4 kBaseColor(0.10f, 0.11f, 0.13f, 1.0f);

// What a full-screen window of the current style leaves on kBaseColor: its WindowBg blended
// over it. Clearing to this lets the host window skip its background (platform.h).
ImVec4 ClearColor() {
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  auto over = [&](float fg, float base) { return fg * bg.w + base * (1 - bg.w); };
  return ImVec4(over(bg.x, kBaseColor.x), over(bg.y, kBaseColor.y), over(bg.z, kBaseColor.z), 1.0f);
}

// An offscreen colour buffer both headless variants render into.
struct Offscreen {
  GLuint fbo = 0;
  GLuint rbo = 0;
  int width = 0;
  int height = 0;

  Status Create(Gl& gl, int w, int h) {
    width = w;
    height = h;
    gl.GenFramebuffers(1, &fbo);
    gl.BindFramebuffer(kFramebuffer, fbo);
    gl.GenRenderbuffers(1, &rbo);
    gl.BindRenderbuffer(kRenderbuffer, rbo);
    gl.RenderbufferStorage(kRenderbuffer, kRgba8, w, h);
    gl.FramebufferRenderbuffer(kFramebuffer, kColorAttachment0, kRenderbuffer, rbo);
    if (gl.CheckFramebufferStatus(kFramebuffer) != kFramebufferComplete) {
      return Status::Error("the OpenGL driver cannot make a " + std::to_string(w) + "x" + std::to_string(h) +
                           " offscreen framebuffer");
    }
    return Status::Ok();
  }
  void Destroy(Gl& gl) {
    if (fbo != 0) gl.DeleteFramebuffers(1, &fbo);
    if (rbo != 0) gl.DeleteRenderbuffers(1, &rbo);
    fbo = rbo = 0;
  }
  void Draw(Gl& gl, ImDrawData* data) {
    gl.BindFramebuffer(kFramebuffer, fbo);
    gl.Viewport(0, 0, width, height);
    const ImVec4 clear = ClearColor();
    gl.ClearColor(clear.x, clear.y, clear.z, clear.w);
    gl.Clear(kColorBufferBit);
    ImGui_ImplOpenGL3_RenderDrawData(data);
  }
  Status Read(Gl& gl, int* w, int* h, std::vector<uint8_t>* rgba) {
    gl.BindFramebuffer(kFramebuffer, fbo);
    gl.PixelStorei(kPackAlignment, 1);
    std::vector<uint8_t> flipped(static_cast<size_t>(width) * height * 4);
    gl.ReadPixels(0, 0, width, height, kRgba, kUnsignedByte, flipped.data());
    // OpenGL's first row is the bottom one.
    rgba->resize(flipped.size());
    const size_t row = static_cast<size_t>(width) * 4;
    for (int y = 0; y < height; ++y) {
      std::copy_n(flipped.data() + row * (height - 1 - y), row, rgba->data() + row * y);
    }
    *w = width;
    *h = height;
    return Status::Ok();
  }
};

std::string GlDescription(Gl& gl) {
  const unsigned char* renderer = gl.GetString(kRenderer);
  const unsigned char* version = gl.GetString(kVersion);
  return std::string(renderer ? reinterpret_cast<const char*>(renderer) : "?") + ", OpenGL " +
         (version ? reinterpret_cast<const char*>(version) : "?");
}

// ---- EGL surfaceless -------------------------------------------------------------------

class EglPlatform : public Platform {
 public:
  ~EglPlatform() override {
    if (backend_) ImGui_ImplOpenGL3_Shutdown();
    if (display_ != EGL_NO_DISPLAY) {
      offscreen_.Destroy(gl_);
      eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
      if (context_ != EGL_NO_CONTEXT) eglDestroyContext(display_, context_);
      eglTerminate(display_);
    }
  }

  Status Init(int width, int height) {
    auto get_platform_display =
        reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (get_platform_display == nullptr) return Status::Error("EGL lacks eglGetPlatformDisplayEXT");
    display_ = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (display_ == EGL_NO_DISPLAY) return Status::Error("EGL has no surfaceless platform (Mesa's)");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(display_, &major, &minor)) return Status::Error("eglInitialize failed on the surfaceless platform");
    if (!eglBindAPI(EGL_OPENGL_API)) return Status::Error("EGL cannot bind desktop OpenGL");
    const EGLint config_attribs[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                                     EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint configs = 0;
    // Surfaceless contexts need no config on Mesa; take one if offered.
    eglChooseConfig(display_, config_attribs, &config, 1, &configs);
    const EGLint context_attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                      EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    context_ = eglCreateContext(display_, configs > 0 ? config : EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, context_attribs);
    if (context_ == EGL_NO_CONTEXT) return Status::Error("EGL cannot create an OpenGL 3.3 core context");
    if (!eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
      return Status::Error("EGL cannot make a surfaceless context current");
    }
    if (!gl_.Load([](const char* name) { return reinterpret_cast<void*>(eglGetProcAddress(name)); })) {
      return Status::Error("EGL does not provide the OpenGL framebuffer functions");
    }
    Status s = offscreen_.Create(gl_, width, height);
    if (!s.ok()) return s;
    if (!ImGui_ImplOpenGL3_Init("#version 330 core")) return Status::Error("the ImGui OpenGL3 backend did not start");
    backend_ = true;
    description_ = "EGL surfaceless (" + GlDescription(gl_) + ")";
    return Status::Ok();
  }

  bool ShouldClose() override { return false; }
  void NewFrame() override { ImGui_ImplOpenGL3_NewFrame(); }
  void WaitEvents(double) override {}
  void Render(ImDrawData* data) override { offscreen_.Draw(gl_, data); }
  void Finish() override { gl_.Finish(); }
  Status ReadPixels(int* w, int* h, std::vector<uint8_t>* rgba) override { return offscreen_.Read(gl_, w, h, rgba); }
  std::vector<std::string> TakeDroppedPaths() override { return {}; }
  std::string Describe() const override { return description_; }

 private:
  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLContext context_ = EGL_NO_CONTEXT;
  Gl gl_;
  Offscreen offscreen_;
  bool backend_ = false;
  std::string description_;
};

// ---- GLFW ------------------------------------------------------------------------------

std::vector<std::string>* g_dropped = nullptr;  // the live GlfwPlatform's list (one at a time)

class GlfwPlatform : public Platform {
 public:
  ~GlfwPlatform() override {
    if (gl3_backend_) ImGui_ImplOpenGL3_Shutdown();
    if (glfw_backend_) ImGui_ImplGlfw_Shutdown();
    if (window_ != nullptr) {
      if (offscreen_.fbo != 0) offscreen_.Destroy(gl_);
      glfwDestroyWindow(window_);
    }
    if (initialised_) glfwTerminate();
    g_dropped = nullptr;
  }

  Status Init(int width, int height, const std::string& title, bool hidden) {
    if (!glfwInit()) {
      return Status::Error(hidden ? "no display for a hidden window (run under a virtual X server, e.g. xvfb-run)"
                                  : "cannot open a window: no display (set DISPLAY, or use --screenshot)");
    }
    initialised_ = true;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    if (hidden) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (window_ == nullptr) return Status::Error("GLFW cannot create an OpenGL 3.3 core window");
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(hidden ? 0 : 1);
    if (!gl_.Load([](const char* name) { return reinterpret_cast<void*>(glfwGetProcAddress(name)); })) {
      return Status::Error("the OpenGL driver lacks framebuffer objects");
    }
    hidden_ = hidden;
    if (hidden) {
      Status s = offscreen_.Create(gl_, width, height);
      if (!s.ok()) return s;
    } else {
      g_dropped = &dropped_;
      glfwSetDropCallback(window_, [](GLFWwindow*, int count, const char** paths) {
        for (int i = 0; i < count && g_dropped != nullptr; ++i) g_dropped->push_back(paths[i]);
      });
      if (!ImGui_ImplGlfw_InitForOpenGL(window_, true)) return Status::Error("the ImGui GLFW backend did not start");
      glfw_backend_ = true;
    }
    if (!ImGui_ImplOpenGL3_Init("#version 330 core")) return Status::Error("the ImGui OpenGL3 backend did not start");
    gl3_backend_ = true;
    description_ = std::string(hidden ? "hidden GLFW window" : "GLFW window") + " (" + GlDescription(gl_) + ")";
    return Status::Ok();
  }

  bool ShouldClose() override { return glfwWindowShouldClose(window_); }
  void WaitEvents(double timeout_s) override {
    if (!hidden_) glfwWaitEventsTimeout(timeout_s);
  }
  void NewFrame() override {
    if (!hidden_) {
      glfwPollEvents();
      ImGui_ImplGlfw_NewFrame();
    }
    ImGui_ImplOpenGL3_NewFrame();
  }
  void Render(ImDrawData* data) override {
    if (hidden_) {
      offscreen_.Draw(gl_, data);
      return;
    }
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    gl_.Viewport(0, 0, w, h);
    const ImVec4 clear = ClearColor();
    gl_.ClearColor(clear.x, clear.y, clear.z, clear.w);
    gl_.Clear(kColorBufferBit);
    ImGui_ImplOpenGL3_RenderDrawData(data);
    glfwSwapBuffers(window_);
  }
  void Finish() override { gl_.Finish(); }
  Status ReadPixels(int* w, int* h, std::vector<uint8_t>* rgba) override {
    if (!hidden_) return Status::Error("ReadPixels is for headless rendering");
    return offscreen_.Read(gl_, w, h, rgba);
  }
  std::vector<std::string> TakeDroppedPaths() override { return std::exchange(dropped_, {}); }
  std::string Describe() const override { return description_; }

 private:
  GLFWwindow* window_ = nullptr;
  bool initialised_ = false;
  bool hidden_ = false;
  bool glfw_backend_ = false;  // ImGui's GLFW backend installed (windows only)
  bool gl3_backend_ = false;   // ImGui's OpenGL3 backend installed
  Gl gl_;
  Offscreen offscreen_;
  std::vector<std::string> dropped_;
  std::string description_;
};

}  // namespace

Status Platform::CreateWindow(int width, int height, const std::string& title, std::unique_ptr<Platform>* out) {
  auto p = std::make_unique<GlfwPlatform>();
  Status s = p->Init(width, height, title, /*hidden=*/false);
  if (s.ok()) *out = std::move(p);
  return s;
}

Status Platform::CreateHeadless(int width, int height, std::unique_ptr<Platform>* out) {
  auto egl = std::make_unique<EglPlatform>();
  Status s = egl->Init(width, height);
  if (s.ok()) {
    *out = std::move(egl);
    return s;
  }
  egl.reset();
  auto glfw = std::make_unique<GlfwPlatform>();
  Status t = glfw->Init(width, height, "clawsim-view", /*hidden=*/true);
  if (t.ok()) {
    *out = std::move(glfw);
    return t;
  }
  return Status::Error("cannot render without a display: " + s.message() + "; and " + t.message());
}

Status WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba) {
  if (rgba.size() != static_cast<size_t>(width) * height * 4) return Status::Error(path + ": wrong pixel count");
  if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4)) {
    return Status::Error(path + ": cannot write the PNG");
  }
  return Status::Ok();
}

}  // namespace clawsim::viz
