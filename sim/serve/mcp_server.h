// McpServer: the Model Context Protocol's JSON-RPC 2.0 side, protocol revision 2025-06-18,
// for a server that offers tools. It knows nothing of clawsim's world: a ToolHandler
// supplies the tools and runs them.
//
// One message in, at most one message out (HandleMessage), plus the notifications it
// caused (TakeNotifications), which the transport sends after the response. Transports
// (stdio lines, HTTP, a script) feed it text; it never blocks and owns no thread.
//
// Lifecycle. `initialize` answers with the server's capabilities and the protocol version
// (the client's if this server speaks it, else 2025-06-18); `notifications/initialized`
// completes it. Before `initialize` every request except `ping` gets error -32000 ("server
// not initialized"). `ping` answers {}. Notifications get no answer; unknown notifications
// are ignored, as the specification asks.
//
// Resources (when a ResourceHandler is given): resources/list, resources/read,
// resources/subscribe and resources/unsubscribe. After every tools/call or resources/read
// the handler is asked which subscribed resources changed, and each gets one
// `notifications/resources/updated`. An unknown URI is -32002 (the specification's
// "resource not found"); a read the handler refuses is -32001 with its reason.
//
// Errors (JSON-RPC 2.0 codes): text that is not JSON -32700 (id null); not a request
// object (no "jsonrpc": "2.0", a method that is not a string, a batch: 2025-06-18 removed
// batching) -32600; an unknown method -32601; bad params, an unknown tool, arguments that
// do not fit the tool's schema -32602. A tool that ran and failed (the permission gate
// denied it, say) is not a protocol error: its result has "isError": true and a text saying
// why, so the model can read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace clawsim::serve {

using Json = nlohmann::json;

inline constexpr const char* kProtocolVersion = "2025-06-18";

// Error codes (JSON-RPC 2.0; -32000 a request before initialize, -32001 a resource read
// refused, -32002 an unknown resource).
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kNotInitialized = -32000;
inline constexpr int kReadRefused = -32001;
inline constexpr int kResourceNotFound = -32002;

struct ToolSpec {
  std::string name;
  std::string title;
  std::string description;  // written for a model: what it does, what it costs, what can refuse it
  Json input_schema;        // a JSON Schema object
};

// What a tool call returned. `error` set: the call's arguments were wrong (-32602, with
// this message); otherwise `text` (and `structured`) is the result, `is_error` when the
// tool ran and failed.
struct ToolOutcome {
  std::optional<std::string> error;
  bool is_error = false;
  std::string text;
  Json structured;  // null: none
};

class ToolHandler {
 public:
  virtual ~ToolHandler() = default;
  virtual std::vector<ToolSpec> Tools() const = 0;
  // Runs tool `name` (one of Tools()) with `arguments` (an object, already checked against
  // the schema's required properties and types) and the request's `_meta` (null if none).
  virtual ToolOutcome Call(const std::string& name, const Json& arguments, const Json& meta) = 0;
};

struct ResourceSpec {
  std::string uri;
  std::string name;
  std::string description;
  std::string mime_type = "text/plain";
};

// What a resource read returned: `text`, or `refused` with why (a gate denial), or
// `not_found`.
struct ResourceContent {
  bool not_found = false;
  std::optional<std::string> refused;
  std::string text;
};

class ResourceHandler {
 public:
  virtual ~ResourceHandler() = default;
  virtual std::vector<ResourceSpec> Resources() const = 0;
  virtual ResourceContent Read(const std::string& uri) = 0;
  // Of `uris`, those whose content changed since this was last asked about them (or since
  // they were subscribed). The first question about a URI only notes its state.
  virtual std::vector<std::string> Changed(const std::vector<std::string>& uris) = 0;
};

class McpServer {
 public:
  // `resources` may be null: the server then offers tools only.
  McpServer(ToolHandler* tools, std::string name, std::string version, std::string instructions,
            ResourceHandler* resources = nullptr);

  // Handles one JSON-RPC message; returns the response to send, or nothing (notifications).
  std::optional<std::string> HandleMessage(std::string_view text);

  // The notifications the last HandleMessage caused, in order (moved out).
  std::vector<std::string> TakeNotifications() { return std::exchange(notifications_, {}); }

  bool initialized() const { return initialized_; }
  const std::string& client_name() const { return client_name_; }

  // A JSON-RPC error response (for transports that fail before a message is parsed).
  static std::string ErrorResponse(const Json& id, int code, const std::string& message);

 private:
  Json Initialize(const Json& params);
  std::optional<std::string> CallTool(const Json& id, const Json& params);
  std::optional<std::string> ResourceRequest(const std::string& method, const Json& id, const Json& params);
  void NotifyChanged();

  ToolHandler* tools_;
  ResourceHandler* resources_;
  std::vector<std::string> subscribed_;  // resource URIs, in subscription order
  std::vector<std::string> notifications_;
  std::vector<ToolSpec> specs_;
  std::string name_, version_, instructions_;
  bool initialize_seen_ = false;
  bool initialized_ = false;
  std::string client_name_;
};

// Checks `arguments` against a tool's input schema: an object, every required property
// present, each property of the declared type ("string", "integer", "number", "boolean",
// "array", "object"), no property the schema does not name. Returns the first problem, or
// nothing.
std::optional<std::string> CheckArguments(const Json& schema, const Json& arguments);

}  // namespace clawsim::serve
