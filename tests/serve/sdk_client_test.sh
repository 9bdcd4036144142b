#!/usr/bin/env bash
# The official TypeScript MCP SDK client against `clawsim serve` over stdio and over
# Streamable HTTP (sdk_client.mjs), each checked against the same calls replayed with
# --script: every result and the run's fingerprint must be the same. Installs @modelcontextprotocol/sdk under SDK_DIR on first
# use; exits 77 (skipped) with a message when node or npm is missing or the install fails.
# Environment: CLAWSIM, SERVE_DATA (tests/serve), SDK_DIR, NPM, NODE.
set -euo pipefail
if [ -z "${NODE:-}" ] || [ -z "${NPM:-}" ] || [ ! -x "$NODE" ] || [ ! -x "$NPM" ]; then
  echo "SKIPPED: node and npm are needed for the MCP SDK client test (apt-get install nodejs npm)"
  exit 77
fi
if [ ! -f "$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json" ] ||
   [ ! -x "$SDK_DIR/node_modules/.bin/mcp-inspector" ]; then
  mkdir -p "$SDK_DIR"
  if ! (cd "$SDK_DIR" && "$NPM" install --no-audit --no-fund --loglevel=error @modelcontextprotocol/sdk@^1 \
        @modelcontextprotocol/inspector >&2); then
    echo "SKIPPED: npm could not install @modelcontextprotocol/sdk and inspector (no registry?)"
    exit 77
  fi
fi
work="$SDK_DIR/work"
rm -rf "$work" && mkdir -p "$work"
scenario="$SERVE_DATA/seat_day.textproto"
script="$SERVE_DATA/seat_day.jsonl"
"$CLAWSIM" serve "$scenario" --seat dana --script "$script" --out "$work/script" > "$work/script.jsonl"
for mode in stdio http; do
"$NODE" "$SERVE_DATA/sdk_client.mjs" "$mode" "$SDK_DIR" "$CLAWSIM" "$scenario" "$script" "$work/sdk-$mode" > "$work/sdk-$mode.jsonl"
python3 - "$work" "$mode" <<'PY'
import json, sys
work, mode = sys.argv[1], sys.argv[2]
sdk = [json.loads(l) for l in open(f"{work}/sdk-{mode}.jsonl")]
script = [json.loads(l)["result"] for l in open(f"{work}/script.jsonl")]
assert len(sdk) == len(script) == 25, (len(sdk), len(script))
for a, b in zip(sdk, script):
    assert (a["isError"], a["text"]) == (b["isError"], b["content"][0]["text"]), (a, b)
kinds = [a["text"] for a in sdk]
assert any("data_leaked" in t for t in kinds), "the followed injection leaked"
assert any(t.startswith("approved by a person") for t in kinds), "an ask was approved"
assert any("expired" in t for t in kinds), "an ask expired"
assert any('rule "no-agent-rollbacks"' in t for t in kinds), "a denial names its rule"
assert any("pipeline started" in t for t in kinds), "a change was promoted to prod"
fa = json.load(open(f"{work}/sdk-{mode}/summary.json"))["fingerprint"]
fb = json.load(open(f"{work}/script/summary.json"))["fingerprint"]
assert fa == fb, f"fingerprints differ: SDK client over {mode} {fa}, script {fb}"
print(f"ok: {len(sdk)} calls through the SDK client over {mode} match the script; fingerprint {fa}")
PY
done
# The MCP Inspector's CLI mode, launching the server over stdio.
inspector="$SDK_DIR/node_modules/.bin/mcp-inspector"
"$inspector" --cli "$CLAWSIM" serve "$scenario" --seat dana --days 1 --out "$work/inspector-list" \
  --method tools/list > "$work/inspector-list.json"
"$inspector" --cli "$CLAWSIM" serve "$scenario" --seat dana --days 1 --out "$work/inspector-call" \
  --method tools/call --tool-name wait > "$work/inspector-call.json"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
tools = json.load(open(f"{work}/inspector-list.json"))["tools"]
assert len(tools) == 12 and all(t["inputSchema"]["type"] == "object" for t in tools), tools
call = json.load(open(f"{work}/inspector-call.json"))
assert call["isError"] is False and "new_mail" in call["content"][0]["text"], call
print("ok: the MCP Inspector's CLI mode lists 12 tools and calls wait")
PY
# Resources through the SDK client: the inbox listed, subscribed, updated, read.
"$NODE" "$SERVE_DATA/sdk_client.mjs" resources "$SDK_DIR" "$CLAWSIM" "$scenario" "$script" "$work/sdk-resources" \
  > "$work/sdk-resources.json"
echo "ok: resources through the SDK client: $(cat "$work/sdk-resources.json")"
