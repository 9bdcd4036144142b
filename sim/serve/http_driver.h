// HttpDriver: MCP's Streamable HTTP transport (revision 2025-06-18) on the loopback address,
// for `clawsim serve --transport http --port N`. cpp-httplib stays in http_driver.cc.
//
// One endpoint, /mcp:
//   POST  one JSON-RPC message. A request gets 200 with one application/json response, or,
//         when it caused notifications (a subscribed resource updated) and the client
//         accepts text/event-stream, a short SSE stream of those notifications then the
//         response; a notification or response gets 202 and no body. The `initialize`
//         response carries an Mcp-Session-Id header; later requests must send it back (400
//         without, 404 with another).
//   GET   with Accept: text/event-stream and the session id: the standing SSE stream, one
//         at a time (409 for a second). It carries the notifications of requests whose
//         POST took no SSE stream (or of notifications the client posted), until the client
//         closes it or the session ends. Without text/event-stream in Accept: 405. No event
//         ids: a stream cannot be resumed (Last-Event-ID is ignored).
//   DELETE with the session id: the client leaves; the run ends with the day in progress
//         (marked interrupted if days remain), is written, and the server stops.
// Requests whose Origin header names anything but localhost / 127.0.0.1 get 403 (the
// specification's defence against DNS rebinding). Requests are handled one at a time.
#pragma once

#include <functional>
#include <string>

#include "sim/serve/serve_driver.h"

namespace clawsim::serve {

class HttpDriver : public ServeDriverBase {
 public:
  // `port` 0 picks a free one. `on_listening(port)` is called once the socket is bound.
  // `should_stop` (polled) turning true ends the session as a DELETE would (a signal).
  HttpDriver(int port, CallCosts costs, std::function<void(int)> on_listening, std::function<bool()> should_stop = nullptr)
      : ServeDriverBase(std::move(costs)), port_(port), on_listening_(std::move(on_listening)),
        should_stop_(std::move(should_stop)) {}
  Status Drive(model::SeatHost& host) override;
  bool client_left() const { return client_left_; }

 private:
  int port_;
  std::function<void(int)> on_listening_;
  std::function<bool()> should_stop_;
  bool client_left_ = false;
};

}  // namespace clawsim::serve
