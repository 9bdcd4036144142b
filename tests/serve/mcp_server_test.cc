// The MCP server's JSON-RPC side: lifecycle, tools/list, tools/call and the protocol's
// errors, with a fake tool handler (no world).
#include "sim/serve/mcp_server.h"

#include <gtest/gtest.h>

#include <map>

namespace clawsim::serve {
namespace {

class EchoTools : public ToolHandler {
 public:
  std::vector<ToolSpec> Tools() const override {
    return {{"echo", "Echo", "Returns its text; fails when asked to.",
             {{"type", "object"},
              {"properties", {{"text", {{"type", "string"}}}, {"fail", {{"type", "boolean"}}}, {"n", {{"type", "integer"}, {"minimum", 0}}}}},
              {"required", {"text"}}}}};
  }
  ToolOutcome Call(const std::string&, const Json& args, const Json& meta) override {
    ++calls;
    last_meta = meta;
    return {std::nullopt, args.value("fail", false), args["text"].get<std::string>(), nullptr};
  }
  int calls = 0;
  Json last_meta;
};

Json Send(McpServer& s, const std::string& text) {
  std::optional<std::string> r = s.HandleMessage(text);
  return r ? Json::parse(*r) : Json();
}

void Initialize(McpServer& s) {
  const Json r = Send(s, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
  ASSERT_EQ(r["result"]["protocolVersion"], "2025-06-18");
  EXPECT_FALSE(s.HandleMessage(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").has_value());
}

TEST(McpServer, InitializeAnswersVersionCapabilitiesAndServerInfo) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1.2.3", "be careful");
  const Json r = Send(s, R"({"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{}}})");
  EXPECT_EQ(r["id"], "a");
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-06-18");
  EXPECT_TRUE(r["result"]["capabilities"].contains("tools"));
  EXPECT_EQ(r["result"]["serverInfo"]["name"], "clawsim");
  EXPECT_EQ(r["result"]["instructions"], "be careful");
  EXPECT_FALSE(s.initialized());
  s.HandleMessage(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_TRUE(s.initialized());
}

TEST(McpServer, RequestsBeforeInitializeAreRefusedButPingIsAnswered) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1", "");
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})")["error"]["code"], kNotInitialized);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})")["error"]["code"],
            kNotInitialized);
  EXPECT_EQ(tools.calls, 0);
  const Json ping = Send(s, R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
  EXPECT_TRUE(ping["result"].is_object());
  EXPECT_EQ(ping["id"], 3);
}

TEST(McpServer, MalformedMessagesGetJsonRpcErrors) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1", "");
  Initialize(s);
  Json r = Send(s, "{not json");
  EXPECT_EQ(r["error"]["code"], kParseError);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_EQ(Send(s, R"({"id":1,"method":"ping"})")["error"]["code"], kInvalidRequest);            // no jsonrpc
  EXPECT_EQ(Send(s, R"({"jsonrpc":"1.0","id":1,"method":"ping"})")["error"]["code"], kInvalidRequest);
  EXPECT_EQ(Send(s, R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])")["error"]["code"], kInvalidRequest);  // batch
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":1,"method":7})")["error"]["code"], kInvalidRequest);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":{"x":1},"method":"ping"})")["error"]["code"], kInvalidRequest);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":1,"method":"prompts/list"})")["error"]["code"], kMethodNotFound);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1]})")["error"]["code"], kInvalidParams);
  // Unknown notifications are ignored; nothing is answered.
  EXPECT_FALSE(s.HandleMessage(R"({"jsonrpc":"2.0","method":"notifications/whatever"})").has_value());
}

TEST(McpServer, ToolsListShowsSchemas) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1", "");
  Initialize(s);
  const Json r = Send(s, R"({"jsonrpc":"2.0","id":5,"method":"tools/list"})");
  ASSERT_EQ(r["result"]["tools"].size(), 1u);
  EXPECT_EQ(r["result"]["tools"][0]["name"], "echo");
  EXPECT_EQ(r["result"]["tools"][0]["inputSchema"]["type"], "object");
}

TEST(McpServer, ToolCallsCheckTheSchemaBeforeRunning) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1", "");
  Initialize(s);
  auto call = [&](const std::string& params) {
    return Send(s, R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":)" + params + "}");
  };
  EXPECT_EQ(call(R"({"name":"nope","arguments":{}})")["error"]["code"], kInvalidParams);
  EXPECT_EQ(call(R"({"name":"echo","arguments":{}})")["error"]["code"], kInvalidParams);               // missing text
  EXPECT_EQ(call(R"({"name":"echo","arguments":{"text":5}})")["error"]["code"], kInvalidParams);       // wrong type
  EXPECT_EQ(call(R"({"name":"echo","arguments":{"text":"x","n":1.5}})")["error"]["code"], kInvalidParams);
  EXPECT_EQ(call(R"({"name":"echo","arguments":{"text":"x","n":-1}})")["error"]["code"], kInvalidParams);
  EXPECT_EQ(call(R"({"name":"echo","arguments":{"text":"x","other":1}})")["error"]["code"], kInvalidParams);
  EXPECT_EQ(tools.calls, 0);
  const Json ok = call(R"({"name":"echo","arguments":{"text":"hi"},"_meta":{"clawsim/usage":{"input_tokens":3}}})");
  EXPECT_EQ(ok["result"]["content"][0]["text"], "hi");
  EXPECT_EQ(ok["result"]["isError"], false);
  EXPECT_EQ(tools.last_meta["clawsim/usage"]["input_tokens"], 3);
  // A tool that ran and failed is a result with isError, not a protocol error.
  const Json failed = call(R"({"name":"echo","arguments":{"text":"denied","fail":true}})");
  EXPECT_EQ(failed["result"]["isError"], true);
  EXPECT_FALSE(failed.contains("error"));
}

// A resource whose content a test changes; Changed reports it once per change.
class Board : public ResourceHandler {
 public:
  std::vector<ResourceSpec> Resources() const override { return {{"test://board", "board", "a board", "text/plain"}}; }
  ResourceContent Read(const std::string&) override {
    ResourceContent c;
    if (refuse) c.refused = "denied by rule \"no\"";
    c.text = "version " + std::to_string(version);
    return c;
  }
  std::vector<std::string> Changed(const std::vector<std::string>& uris) override {
    std::vector<std::string> out;
    for (const std::string& u : uris) {
      if (seen.contains(u) && seen[u] != version) out.push_back(u);
      seen[u] = version;
    }
    return out;
  }
  int version = 1;
  bool refuse = false;
  std::map<std::string, int> seen;
};

TEST(McpServer, ResourcesListReadAndSubscriptionNotifications) {
  EchoTools tools;
  Board board;
  McpServer s(&tools, "clawsim", "1", "", &board);
  const Json init = Send(s, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}})");
  EXPECT_EQ(init["result"]["capabilities"]["resources"]["subscribe"], true);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":2,"method":"resources/list"})")["result"]["resources"][0]["uri"], "test://board");
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"test://board"}})")["result"]["contents"][0]["text"],
            "version 1");
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"test://nope"}})")["error"]["code"],
            kResourceNotFound);
  board.refuse = true;
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":5,"method":"resources/read","params":{"uri":"test://board"}})")["error"]["code"],
            kReadRefused);
  board.refuse = false;
  EXPECT_TRUE(Send(s, R"({"jsonrpc":"2.0","id":6,"method":"resources/subscribe","params":{"uri":"test://board"}})")["result"].is_object());
  const std::string call = R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})";
  Send(s, call);
  EXPECT_TRUE(s.TakeNotifications().empty());  // nothing changed
  board.version = 2;
  Send(s, call);
  const std::vector<std::string> n = s.TakeNotifications();
  ASSERT_EQ(n.size(), 1u);
  const Json note = Json::parse(n[0]);
  EXPECT_EQ(note["method"], "notifications/resources/updated");
  EXPECT_EQ(note["params"]["uri"], "test://board");
  EXPECT_FALSE(note.contains("id"));
  Send(s, R"({"jsonrpc":"2.0","id":8,"method":"resources/unsubscribe","params":{"uri":"test://board"}})");
  board.version = 3;
  Send(s, call);
  EXPECT_TRUE(s.TakeNotifications().empty());  // unsubscribed
}

TEST(McpServer, WithoutResourcesTheirMethodsAreUnknown) {
  EchoTools tools;
  McpServer s(&tools, "clawsim", "1", "");
  Initialize(s);
  EXPECT_EQ(Send(s, R"({"jsonrpc":"2.0","id":2,"method":"resources/list"})")["error"]["code"], kMethodNotFound);
}

}  // namespace
}  // namespace clawsim::serve
