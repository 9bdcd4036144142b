// Fuzzes the MCP server's JSON-RPC side (McpServer: parsing, the lifecycle, method dispatch,
// tools/call with argument checks against the real tools' schemas, resources and their
// notifications). The input is a session: one message per line, handled in order by one
// server, as the stdio transport feeds it. The tool and resource handlers are fakes (no
// world): they answer from the arguments. The schemas are `clawsim serve`'s own, from
// mcp_tools.json (kept equal to its tools/list by tests/serve/serve_test.py).
//
// Every input must come back quickly, within the memory limit, and every message the server
// writes must be a JSON-RPC 2.0 object: a response with exactly one of result and error, or
// a notification with a method.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/serve/mcp_server.h"

namespace {

using clawsim::serve::Json;

// A broken promise of the server: libFuzzer reports the input.
void Require(bool ok) {
  if (!ok) std::abort();
}

class FakeTools : public clawsim::serve::ToolHandler {
 public:
  FakeTools() {
    std::ifstream in(std::string(CLAWSIM_SOURCE_DIR) + "/tests/fuzz/mcp_tools.json");
    std::stringstream text;
    text << in.rdbuf();
    const Json doc = Json::parse(text.str(), nullptr, false);
    Require(doc.is_object() && doc.contains("tools"));
    for (const Json& t : doc["tools"]) specs_.push_back({t["name"].get<std::string>(), t["name"].get<std::string>(), "", t["inputSchema"]});
  }
  std::vector<clawsim::serve::ToolSpec> Tools() const override { return specs_; }
  clawsim::serve::ToolOutcome Call(const std::string& name, const Json& arguments, const Json& meta) override {
    const std::string args = arguments.dump();
    // The seat tools refuse some arguments (-32602), fail some calls (isError), answer others.
    if (arguments.contains("seat") && arguments["seat"] == "nobody") return {"no seat \"nobody\" is served", false, "", nullptr};
    return {std::nullopt, args.size() % 2 == 1, name + " " + args + (meta.is_null() ? "" : meta.dump()), arguments};
  }

 private:
  std::vector<clawsim::serve::ToolSpec> specs_;
};

class FakeResources : public clawsim::serve::ResourceHandler {
 public:
  std::vector<clawsim::serve::ResourceSpec> Resources() const override {
    return {{"clawsim://seat/dana/inbox", "inbox", "", "text/plain"},
            {"clawsim://seat/dana/channel/team-platform", "team-platform", "", "text/plain"}};
  }
  clawsim::serve::ResourceContent Read(const std::string& uri) override {
    clawsim::serve::ResourceContent c;
    if (uri == "clawsim://seat/dana/inbox") {
      c.text = "0  * it-security@invoices-portal.example  Mailbox compliance audit";
    } else if (uri == "clawsim://seat/dana/channel/team-platform") {
      c.refused = "denied by rule \"agents-chat-read\"";
    } else {
      c.not_found = true;
    }
    return c;
  }
  // Every other question, everything asked about changed.
  std::vector<std::string> Changed(const std::vector<std::string>& uris) override {
    return ++asked_ % 2 == 0 ? uris : std::vector<std::string>{};
  }

 private:
  uint64_t asked_ = 0;
};

void CheckMessage(const std::string& text, bool response) {
  const Json m = Json::parse(text, nullptr, false);
  Require(m.is_object() && m.value("jsonrpc", "") == "2.0");
  if (response) {
    Require(m.contains("id") && (m.contains("result") != m.contains("error")));
    if (m.contains("error")) Require(m["error"]["code"].is_number_integer() && m["error"]["message"].is_string());
  } else {
    Require(!m.contains("id") && m["method"].is_string());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FakeTools tools;
  FakeResources resources;
  clawsim::serve::McpServer server(&tools, "clawsim", "fuzz", "you are a seat", &resources);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    const std::optional<std::string> reply = server.HandleMessage(input.substr(start, end - start));
    if (reply) CheckMessage(*reply, true);
    for (const std::string& n : server.TakeNotifications()) CheckMessage(n, false);
    start = end + 1;
  }
  return 0;
}
