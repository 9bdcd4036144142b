// Drives `clawsim serve` with the official TypeScript MCP SDK client over stdio or
// Streamable HTTP: connects (initialize), lists the tools, replays the scripted day
// (seat_day.jsonl: every tool, a denial, an ask approved and one expired, an injection read
// and followed to a leak, wait) and prints one JSON line per call's result, then closes (over
// HTTP: ends the session; the server sees the client leave). Run by sdk_client_test.sh with
// the SDK installed under SDK_DIR.
//
// Mode `resources` (stdio) instead subscribes to the seat's inbox, waits, expects the
// update notification and reads the inbox resource.
//
// usage: node sdk_client.mjs stdio|http|resources SDK_DIR CLAWSIM SCENARIO SCRIPT OUT_DIR
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [mode, sdkDir, clawsim, scenario, script, outDir] = process.argv.slice(2);
const sdk = (p) => pathToFileURL(path.join(sdkDir, "node_modules/@modelcontextprotocol/sdk/dist/esm", p)).href;
const { Client } = await import(sdk("client/index.js"));
const { StdioClientTransport } = await import(sdk("client/stdio.js"));

const serveArgs = ["serve", scenario, "--seat", "dana", "--out", outDir];
let transport, child;
if (mode === "stdio" || mode === "resources") {
  transport = new StdioClientTransport({ command: clawsim, args: serveArgs, stderr: "inherit" });
} else {
  const { StreamableHTTPClientTransport } = await import(sdk("client/streamableHttp.js"));
  child = spawn(clawsim, [...serveArgs, "--transport", "http"], { stdio: ["ignore", "inherit", "pipe"] });
  const port = await new Promise((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      process.stderr.write(d);
      const m = err.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`clawsim serve exited ${code} before listening`)));
  });
  transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
}
const client = new Client({ name: "clawsim-sdk-test", version: "1.0.0" });
await client.connect(transport);

const info = client.getServerVersion();
if (info.name !== "clawsim") throw new Error(`server name ${info.name}`);
const { tools } = await client.listTools();
const names = tools.map((t) => t.name).sort();
console.error(`tools: ${names.join(" ")}`);
for (const t of tools) {
  if (!t.description || t.inputSchema.type !== "object") throw new Error(`tool ${t.name} lacks a description or schema`);
}
await client.ping();

if (mode === "resources") {
  const { ResourceUpdatedNotificationSchema } = await import(sdk("types.js"));
  const updated = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updated.push(n.params.uri));
  const { resources } = await client.listResources();
  const inbox = "clawsim://seat/dana/inbox";
  if (!resources.some((r) => r.uri === inbox)) throw new Error(`no inbox resource in ${JSON.stringify(resources)}`);
  await client.subscribeResource({ uri: inbox });
  const woke = await client.callTool({ name: "wait", arguments: {} });
  await new Promise((r) => setTimeout(r, 200));  // the notification follows the response
  if (!updated.includes(inbox)) throw new Error(`no update notification for the inbox after ${woke.content[0].text}`);
  const read = await client.readResource({ uri: inbox });
  if (!read.contents[0].text.includes("Mailbox compliance audit")) throw new Error(`inbox: ${read.contents[0].text}`);
  let notFound = false;
  try {
    await client.readResource({ uri: "clawsim://seat/nobody/inbox" });
  } catch (e) {
    notFound = e.code === -32002;
  }
  if (!notFound) throw new Error("an unknown resource was not refused with -32002");
  console.log(JSON.stringify({ resources: resources.length, updated }));
  await client.close();
  process.exit(0);
}

const calls = readFileSync(script, "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => JSON.parse(l));
for (const c of calls) {
  const params = { name: c.tool, arguments: c.arguments ?? {} };
  if (c._meta) params._meta = c._meta;
  const r = await client.callTool(params);
  console.log(JSON.stringify({ tool: c.tool, isError: r.isError, text: r.content[0].text }));
}

// A protocol error through the SDK: an unknown tool is refused with -32602.
let refused = false;
try {
  await client.callTool({ name: "launch_missiles", arguments: {} });
} catch (e) {
  refused = e.code === -32602;
}
if (!refused) throw new Error("an unknown tool was not refused with -32602");
if (child) {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await transport.terminateSession();  // DELETE: the client leaves
  await client.close();
  const code = await exited;
  if (code !== 0) throw new Error(`clawsim serve exited ${code}`);
} else {
  await client.close();
}
