#!/usr/bin/env bash
# A real MCP round trip with `quarry mcp` (issue 14), in raw JSON-RPC over its stdin and stdout:
# initialize, notifications/initialized, tools/list, a search, its next page (the cursor the first
# answer ended with), a refused path ('..') and status; each answer printed (long texts cut), with
# the wall time of each call. The tree is indexed on the first call (lexically first; searches
# wait for nothing, so the first search is retried until text is committed).
# Usage: bench/mcp-roundtrip.sh TREE "QUERY" [extra quarry mcp arguments, e.g. --model minilm-static]
set -euo pipefail
tree=$(readlink -f "${1:?usage: bench/mcp-roundtrip.sh TREE QUERY [ARGS...]}")
query=${2:?usage: bench/mcp-roundtrip.sh TREE QUERY [ARGS...]}
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/quarry" --version >/dev/null 2>&1 # builds Quarry if needed, outside the timings
python3 - "$here/quarry" "$tree" "$query" "$@" <<'PY'
import json, subprocess, sys, time
quarry, tree, query, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
proc = subprocess.Popen([quarry, "mcp", tree, *extra], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
next_id = 0

def send(message):
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()

def call(method, params):
    global next_id
    next_id += 1
    started = time.monotonic()
    send({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params})
    while True:
        line = proc.stdout.readline()
        if not line:
            sys.exit("quarry mcp ended without answering " + method)
        answer = json.loads(line)  # stdout carries nothing but JSON-RPC
        if answer.get("id") == next_id:
            return answer, (time.monotonic() - started) * 1000

def show(title, answer, ms, limit=900):
    result = answer.get("result", {})
    if "content" in result:
        text = result["content"][0]["text"]
        shown = text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit} more characters]"
        print(f"--> {title} ({ms:.0f} ms, isError={bool(result.get('isError'))}, {len(text)} characters)")
        print(shown)
    else:
        print(f"--> {title} ({ms:.0f} ms)")
        print(json.dumps(result)[:limit])
    print()

init, ms = call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                               "clientInfo": {"name": "bench", "version": "1"}})
show("initialize", init, ms)
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
tools, ms = call("tools/list", {})
print(f"--> tools/list ({ms:.0f} ms): " + ", ".join(t["name"] for t in tools["result"]["tools"]) + "\n")
args = {"query": query, "k": 5}
started = time.monotonic()
while True:
    first, ms = call("tools/call", {"name": "search", "arguments": args})
    if not first["result"].get("isError"):
        break
    if time.monotonic() - started > 600:
        sys.exit("nothing committed in 10 minutes: " + first["result"]["content"][0]["text"])
    time.sleep(0.5)
print(f"(the first answer with hits came {time.monotonic() - started:.1f} s after the first search)\n")
show(f"search {args}", first, ms)
text = first["result"]["content"][0]["text"]
if 'cursor "' in text:
    cursor = text[text.rindex('cursor "') + 8:text.rindex('"')]
    page2, ms = call("tools/call", {"name": "search", "arguments": dict(args, cursor=cursor)})
    show(f"search, next page (cursor {cursor})", page2, ms)
refused, ms = call("tools/call", {"name": "read", "arguments": {"path": "../../etc/passwd"}})
show("read ../../etc/passwd", refused, ms)
status, ms = call("tools/call", {"name": "status", "arguments": {}})
show("status", status, ms)
proc.stdin.close()
print(f"exit code after stdin closed: {proc.wait(timeout=120)}")
PY
