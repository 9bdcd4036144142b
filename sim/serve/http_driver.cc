#include "sim/serve/http_driver.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
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
  // The standing GET stream: notifications queued for it, whether one is open, and whether
  // the server is stopping (which ends it). Guarded by stream_mu, apart from mu: the stream
  // waits while a request runs the world.
  std::mutex stream_mu;
  std::condition_variable stream_cv;
  std::deque<std::string> stream_queue;
  bool stream_open = false;
  bool stopping = false;
  auto stop = [&] {
    {
      std::lock_guard<std::mutex> lock(stream_mu);
      stopping = true;
    }
    stream_cv.notify_all();
    http.stop();
  };
  auto session_ok = [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Mcp-Session-Id")) {
      res.status = 400;
      res.set_content(McpServer::ErrorResponse(nullptr, kInvalidRequest, "missing Mcp-Session-Id header"), "application/json");
      return false;
    }
    if (req.get_header_value("Mcp-Session-Id") != session) {
      res.status = 404;
      res.set_content(McpServer::ErrorResponse(nullptr, kInvalidRequest, "unknown session"), "application/json");
      return false;
    }
    return true;
  };
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
    if (!is_initialize && session_open && !session_ok(req, res)) return;
    const std::optional<std::string> reply = server.HandleMessage(req.body);
    const std::vector<std::string> notifications = server.TakeNotifications();
    if (is_initialize) {
      session_open = true;
      res.set_header("Mcp-Session-Id", session);
    }
    const bool accepts_sse = req.get_header_value("Accept").find("text/event-stream") != std::string::npos;
    if (!notifications.empty() && (!reply || !accepts_sse)) {
      // Not on this request's answer: on the standing GET stream, when the client has one.
      std::lock_guard<std::mutex> stream_lock(stream_mu);
      if (stream_open) stream_queue.insert(stream_queue.end(), notifications.begin(), notifications.end());
      stream_cv.notify_all();
    }
    if (!reply) {
      res.status = 202;
      return;
    }
    res.status = 200;
    // Notifications the request caused (a subscribed resource updated) ride before the
    // response on a short SSE stream, when the client accepts one.
    if (!notifications.empty() && accepts_sse) {
      std::string sse;
      for (const std::string& n : notifications) sse += "event: message\ndata: " + n + "\n\n";
      sse += "event: message\ndata: " + *reply + "\n\n";
      res.set_content(sse, "text/event-stream");
      return;
    }
    res.set_content(*reply, "application/json");
  });
  // The standing stream: server-to-client messages outside any request's answer (resource
  // updates a request caused when its POST took no SSE stream). One at a time; it ends when
  // the client closes it or the server stops.
  http.Get("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_ok(req, res)) return;
    if (req.get_header_value("Accept").find("text/event-stream") == std::string::npos) {
      res.status = 405;  // the specification's answer for a server that offers no stream here
      res.set_header("Allow", "GET (Accept: text/event-stream), POST, DELETE");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!session_open) {
        res.status = 400;
        res.set_content(McpServer::ErrorResponse(nullptr, kNotInitialized, "server not initialized"), "application/json");
        return;
      }
      if (!session_ok(req, res)) return;
    }
    {
      std::lock_guard<std::mutex> lock(stream_mu);
      if (stream_open || stopping) {
        res.status = 409;
        res.set_content("a stream is already open for this session", "text/plain");
        return;
      }
      stream_open = true;
    }
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        "text/event-stream",
        [&](size_t, httplib::DataSink& sink) {
          std::unique_lock<std::mutex> lock(stream_mu);
          // Wake now and then to notice a client that went away.
          stream_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping || !stream_queue.empty(); });
          // What is queued goes out first, even when the server is stopping.
          std::string events;
          for (const std::string& n : stream_queue) events += "event: message\ndata: " + n + "\n\n";
          stream_queue.clear();
          const bool last = stopping;
          lock.unlock();
          if (!sink.is_writable()) return false;
          if (!events.empty() && !sink.write(events.data(), events.size())) return false;
          return !last;
        },
        [&](bool) {
          std::lock_guard<std::mutex> lock(stream_mu);
          stream_open = false;
          stream_queue.clear();
        });
  });
  http.Delete("/mcp", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    if (!origin_ok(req, res)) return;
    if (!session_open || req.get_header_value("Mcp-Session-Id") != session) {
      res.status = 404;
      return;
    }
    res.status = 200;
    stop();
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
        stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  http.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(stream_mu);
    stopping = true;
  }
  stream_cv.notify_all();
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
