#include "sim/serve/http_driver.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace clawsim::serve {
namespace {

bool LoopbackOrigin(const std::string& origin) {
  for (const char* ok : {"http://localhost", "http://127.0.0.1", "https://localhost", "https://127.0.0.1"}) {
    const std::string prefix = ok;
    if (origin == prefix || origin.rfind(prefix + ":", 0) == 0 || origin.rfind(prefix + "/", 0) == 0) return true;
  }
  return false;
}

}  // namespace

Status HttpDriver::Drive(model::SeatHost& host) {
  SeatTools tools(&host, costs_);
  McpServer server(&tools, "clawsim", "0.1.0", ServerInstructions(host), &tools);
  const std::string session = "clawsim-session-1";
  bool session_open = false;
  std::mutex mu;  // the world and the server are touched by one request at a time
  httplib::Server http;
  // A few workers, so that a client's idle keep-alive connection never blocks its next request;
  // the mutex keeps the world to one request at a time.
  http.new_task_queue = [] { return new httplib::ThreadPool(4); };
  auto origin_ok = [](const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("Origin") && !LoopbackOrigin(req.get_header_value("Origin"))) {
      res.status = 403;
      res.set_content("forbidden origin", "text/plain");
      return false;
    }
    return true;
  };
  http.Post("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    if (!origin_ok(req, res)) return;
    const Json msg = Json::parse(req.body, nullptr, false);
    const bool is_initialize = msg.is_object() && msg.contains("method") && msg["method"] == "initialize";
    if (!is_initialize && session_open) {
      if (!req.has_header("Mcp-Session-Id")) {
        res.status = 400;
        res.set_content(McpServer::ErrorResponse(nullptr, kInvalidRequest, "missing Mcp-Session-Id header"), "application/json");
        return;
      }
      if (req.get_header_value("Mcp-Session-Id") != session) {
        res.status = 404;
        res.set_content(McpServer::ErrorResponse(nullptr, kInvalidRequest, "unknown session"), "application/json");
        return;
      }
    }
    const std::optional<std::string> reply = server.HandleMessage(req.body);
    const std::vector<std::string> notifications = server.TakeNotifications();
    if (is_initialize) {
      session_open = true;
      res.set_header("Mcp-Session-Id", session);
    }
    if (!reply) {
      res.status = 202;
      return;
    }
    res.status = 200;
    // Notifications the request caused (a subscribed resource updated) ride before the
    // response on a short SSE stream, when the client accepts one.
    if (!notifications.empty() && req.get_header_value("Accept").find("text/event-stream") != std::string::npos) {
      std::string sse;
      for (const std::string& n : notifications) sse += "event: message\ndata: " + n + "\n\n";
      sse += "event: message\ndata: " + *reply + "\n\n";
      res.set_content(sse, "text/event-stream");
      return;
    }
    res.set_content(*reply, "application/json");
  });
  http.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_ok(req, res)) return;
    res.status = 405;
    res.set_header("Allow", "POST, DELETE");
  });
  http.Delete("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    if (!origin_ok(req, res)) return;
    if (!session_open || req.get_header_value("Mcp-Session-Id") != session) {
      res.status = 404;
      return;
    }
    res.status = 200;
    http.stop();
  });
  int port = port_;
  if (port == 0) {
    port = http.bind_to_any_port("127.0.0.1");
    if (port < 0) return Status::Error("cannot bind a port on 127.0.0.1");
  } else if (!http.bind_to_port("127.0.0.1", port)) {
    return Status::Error("cannot listen on 127.0.0.1:" + std::to_string(port) + " (in use?)");
  }
  if (on_listening_) on_listening_(port);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (should_stop_ && should_stop_()) {
        http.stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  http.listen_after_bind();
  done.store(true);
  watcher.join();
  Keep(tools);
  if (host.now_us() < host.end_us()) {
    client_left_ = true;
    host.EndRun();
  }
  return Status::Ok();
}

}  // namespace clawsim::serve
