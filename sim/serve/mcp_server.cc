#include "sim/serve/mcp_server.h"

#include <algorithm>
#include <utility>

namespace clawsim::serve {
namespace {

std::string Respond(const Json& id, Json result) {
  Json r = {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  return r.dump();
}

bool TypeFits(const std::string& type, const Json& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  return true;
}

}  // namespace

std::string McpServer::ErrorResponse(const Json& id, int code, const std::string& message) {
  Json r = {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
  return r.dump();
}

std::optional<std::string> CheckArguments(const Json& schema, const Json& arguments) {
  if (!arguments.is_object()) return "arguments must be an object";
  const Json& props = schema.contains("properties") ? schema["properties"] : Json::object();
  if (schema.contains("required")) {
    for (const Json& name : schema["required"]) {
      if (!arguments.contains(name.get<std::string>())) return "missing required argument \"" + name.get<std::string>() + "\"";
    }
  }
  for (const auto& [key, value] : arguments.items()) {
    if (!props.contains(key)) return "unknown argument \"" + key + "\"";
    const Json& p = props[key];
    if (p.contains("type") && !TypeFits(p["type"].get<std::string>(), value)) {
      return "argument \"" + key + "\" must be of type " + p["type"].get<std::string>() + ", got " + value.type_name();
    }
    if (p.contains("type") && p["type"] == "array" && p.contains("items") && p["items"].contains("type")) {
      for (const Json& item : value) {
        if (!TypeFits(p["items"]["type"].get<std::string>(), item)) {
          return "argument \"" + key + "\" must hold items of type " + p["items"]["type"].get<std::string>();
        }
      }
    }
    if (p.contains("minimum") && value.is_number() && value.get<double>() < p["minimum"].get<double>()) {
      return "argument \"" + key + "\" must be at least " + p["minimum"].dump();
    }
  }
  return std::nullopt;
}

McpServer::McpServer(ToolHandler* tools, std::string name, std::string version, std::string instructions,
                     ResourceHandler* resources)
    : tools_(tools), resources_(resources), specs_(tools->Tools()), name_(std::move(name)), version_(std::move(version)),
      instructions_(std::move(instructions)) {}

Json McpServer::Initialize(const Json& params) {
  initialize_seen_ = true;
  if (params.contains("clientInfo") && params["clientInfo"].contains("name") && params["clientInfo"]["name"].is_string()) {
    client_name_ = params["clientInfo"]["name"].get<std::string>();
  }
  // One revision is spoken; a client asking for another gets ours and decides.
  Json capabilities = {{"tools", {{"listChanged", false}}}};
  if (resources_ != nullptr) capabilities["resources"] = {{"subscribe", true}, {"listChanged", false}};
  return {{"protocolVersion", kProtocolVersion},
          {"capabilities", capabilities},
          {"serverInfo", {{"name", name_}, {"version", version_}}},
          {"instructions", instructions_}};
}

std::optional<std::string> McpServer::HandleMessage(std::string_view text) {
  Json msg = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (msg.is_discarded()) return ErrorResponse(nullptr, kParseError, "parse error: the message is not JSON");
  if (msg.is_array()) {
    return ErrorResponse(nullptr, kInvalidRequest, "invalid request: batches are not part of protocol revision 2025-06-18");
  }
  const Json id = msg.is_object() && msg.contains("id") ? msg["id"] : Json(nullptr);
  if (!msg.is_object() || !msg.contains("jsonrpc") || msg["jsonrpc"] != "2.0") {
    return ErrorResponse(id, kInvalidRequest, "invalid request: expected a JSON-RPC 2.0 object with \"jsonrpc\": \"2.0\"");
  }
  const bool is_notification = !msg.contains("id");
  if (!msg.contains("method")) {
    if (msg.contains("result") || msg.contains("error")) return std::nullopt;  // a response to nothing we asked
    return ErrorResponse(id, kInvalidRequest, "invalid request: no \"method\"");
  }
  if (!msg["method"].is_string()) return ErrorResponse(id, kInvalidRequest, "invalid request: \"method\" must be a string");
  if (!is_notification && !(id.is_string() || id.is_number_integer())) {
    return ErrorResponse(nullptr, kInvalidRequest, "invalid request: \"id\" must be a string or an integer");
  }
  const std::string method = msg["method"].get<std::string>();
  const Json params = msg.contains("params") ? msg["params"] : Json::object();
  if (!params.is_object()) {
    return is_notification ? std::nullopt : std::optional(ErrorResponse(id, kInvalidParams, "\"params\" must be an object"));
  }
  if (is_notification) {
    if (method == "notifications/initialized" && initialize_seen_) initialized_ = true;
    return std::nullopt;
  }
  if (method == "ping") return Respond(id, Json::object());
  if (method == "initialize") return Respond(id, Initialize(params));
  if (!initialize_seen_) {
    return ErrorResponse(id, kNotInitialized, "server not initialized: send \"initialize\" first (method \"" + method + "\")");
  }
  if (method == "tools/list") {
    Json tools = Json::array();
    for (const ToolSpec& t : specs_) {
      tools.push_back({{"name", t.name}, {"title", t.title}, {"description", t.description}, {"inputSchema", t.input_schema}});
    }
    return Respond(id, {{"tools", tools}});
  }
  if (method == "tools/call") {
    std::optional<std::string> reply = CallTool(id, params);
    NotifyChanged();
    return reply;
  }
  if (resources_ != nullptr && method.rfind("resources/", 0) == 0) {
    if (std::optional<std::string> reply = ResourceRequest(method, id, params)) return reply;
  }
  return ErrorResponse(id, kMethodNotFound, "method not found: \"" + method + "\" (this server offers tools only)");
}

std::optional<std::string> McpServer::ResourceRequest(const std::string& method, const Json& id, const Json& params) {
  if (method == "resources/list") {
    Json list = Json::array();
    for (const ResourceSpec& r : resources_->Resources()) {
      list.push_back({{"uri", r.uri}, {"name", r.name}, {"description", r.description}, {"mimeType", r.mime_type}});
    }
    return Respond(id, {{"resources", list}});
  }
  if (method != "resources/read" && method != "resources/subscribe" && method != "resources/unsubscribe") {
    return std::nullopt;  // method not found, below
  }
  if (!params.contains("uri") || !params["uri"].is_string()) {
    return ErrorResponse(id, kInvalidParams, method + " needs \"uri\", a string");
  }
  const std::string uri = params["uri"].get<std::string>();
  bool known = false;
  for (const ResourceSpec& r : resources_->Resources()) known |= r.uri == uri;
  if (!known) {
    Json e = {{"jsonrpc", "2.0"}, {"id", id},
              {"error", {{"code", kResourceNotFound}, {"message", "resource not found"}, {"data", {{"uri", uri}}}}}};
    return e.dump();
  }
  if (method == "resources/subscribe") {
    if (std::find(subscribed_.begin(), subscribed_.end(), uri) == subscribed_.end()) {
      subscribed_.push_back(uri);
      resources_->Changed({uri});  // note its state now: only later changes are news
    }
    return Respond(id, Json::object());
  }
  if (method == "resources/unsubscribe") {
    std::erase(subscribed_, uri);
    return Respond(id, Json::object());
  }
  const ResourceContent c = resources_->Read(uri);
  resources_->Changed({uri});  // what the read showed is no news
  NotifyChanged();
  if (c.refused) return ErrorResponse(id, kReadRefused, *c.refused);
  const std::string mime = [&] {
    for (const ResourceSpec& r : resources_->Resources()) {
      if (r.uri == uri) return r.mime_type;
    }
    return std::string("text/plain");
  }();
  return Respond(id, {{"contents", Json::array({{{"uri", uri}, {"mimeType", mime}, {"text", c.text}}})}});
}

void McpServer::NotifyChanged() {
  if (resources_ == nullptr || subscribed_.empty()) return;
  for (const std::string& uri : resources_->Changed(subscribed_)) {
    Json n = {{"jsonrpc", "2.0"}, {"method", "notifications/resources/updated"}, {"params", {{"uri", uri}}}};
    notifications_.push_back(n.dump());
  }
}

std::optional<std::string> McpServer::CallTool(const Json& id, const Json& params) {
  if (!params.contains("name") || !params["name"].is_string()) {
    return ErrorResponse(id, kInvalidParams, "tools/call needs \"name\", a string");
  }
  const std::string name = params["name"].get<std::string>();
  const ToolSpec* spec = nullptr;
  for (const ToolSpec& t : specs_) {
    if (t.name == name) spec = &t;
  }
  if (spec == nullptr) return ErrorResponse(id, kInvalidParams, "unknown tool: \"" + name + "\" (tools/list names them)");
  const Json arguments = params.contains("arguments") ? params["arguments"] : Json::object();
  if (std::optional<std::string> problem = CheckArguments(spec->input_schema, arguments)) {
    return ErrorResponse(id, kInvalidParams, "invalid arguments for tool \"" + name + "\": " + *problem);
  }
  const Json meta = params.contains("_meta") ? params["_meta"] : Json(nullptr);
  ToolOutcome out = tools_->Call(name, arguments, meta);
  if (out.error) return ErrorResponse(id, kInvalidParams, "invalid arguments for tool \"" + name + "\": " + *out.error);
  Json result = {{"content", Json::array({{{"type", "text"}, {"text", out.text}}})}, {"isError", out.is_error}};
  if (!out.structured.is_null()) result["structuredContent"] = out.structured;
  return Respond(id, std::move(result));
}

}  // namespace clawsim::serve
