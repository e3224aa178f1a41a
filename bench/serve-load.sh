#!/usr/bin/env bash
# quarry serve under load (issue 12), on the BEIR SciFact corpus (5,183 abstracts as Markdown files,
# indexed with embeddings; the first time takes minutes, then the disk cache makes it seconds):
#   1. repeated query: wrk on one hybrid search (answer-cache hits) next to the same server's
#      trivial endpoint (/healthz, the ceiling), requests/s and p99 of each, and their ratio;
#   2. uncached mix: queries drawn from a Zipf distribution (s = 1) over SciFact's 1,109 queries,
#      modes taken in turn, at concurrency 8 and 32: p50/p95/p99, requests/s, answer-cache hit rate;
#   3. the same mix at concurrency 8 while a watch-driven update of 1,000 changed files runs;
#   4. edit to searchable: 100 edits one after another, each until a lexical search finds it
#      (p50/p95), then the time until every vector is in;
#   5. quarry search through the server against a cold quarry search (wall medians of 5).
# Loopback only; wrk is installed with apt when missing. Usage: bench/serve-load.sh [SECONDS (10)]
set -euo pipefail
seconds=${1:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
data=$here/../shared/data/scifact
work=${BENCH_OUT:-$here/bench-out}/serve-load
mkdir -p "$work"
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing wrk" >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
fi
"$here/quarry" --version >/dev/null 2>&1 # builds Quarry if needed, outside the timings

docs=$work/scifact
echo "== SciFact corpus as files in $docs"
python3 - "$data/corpus.jsonl" "$docs" <<'PY'
import json, os, sys
corpus, docs = sys.argv[1], sys.argv[2]
os.makedirs(docs, exist_ok=True)
for line in open(corpus, encoding="utf-8"):
    d = json.loads(line)
    path = os.path.join(docs, d["_id"] + ".md")
    text = "# " + d.get("title", "") + "\n\n" + d.get("text", "") + "\n"
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
        open(path, "w", encoding="utf-8").write(text)
PY
echo "== index (with embeddings; first time: minutes)"
"$here/quarry" index "$docs" -q

log=$work/serve.log
"$here/quarry" serve "$docs" --port 0 >"$work/serve.out" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
url=$(head -1 "$work/serve.out")
python3 - "$url" <<'PY'
import sys, time, urllib.request, json
url = sys.argv[1]
deadline = time.time() + 300
while time.time() < deadline:
    try:
        status = json.load(urllib.request.urlopen(url + "/v1/status"))
        watch = status.get("watch") or {}
        if status["index"]["vectorCoverage"] >= 1.0 and watch.get("reconcileRuns", 0) >= 1 and watch.get("running") is None:
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.5)
sys.exit("the server did not become ready and idle")
PY
echo "== serving at $url; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The queries as URL paths, once: Zipf weights follow the file's order.
python3 - "$data/queries.jsonl" "$work/paths.txt" <<'PY'
import json, sys, urllib.parse
out = open(sys.argv[2], "w")
for line in open(sys.argv[1], encoding="utf-8"):
    q = json.loads(line)["text"]
    out.write("/v1/search?k=10&q=" + urllib.parse.quote(q) + "\n")
PY
# Every wrk run ends with one summary line (wrk's own report has no p95).
cat >"$work/fixed.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("SUMMARY p50=%.2fms p95=%.2fms p99=%.2fms rps=%.0f errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat "$work/fixed.lua" - >"$work/zipf.lua" <<'LUA'
-- Requests drawn from a Zipf distribution (s = 1) over the paths in paths.txt; modes in turn.
local paths, cdf, modes, n = {}, {}, {"lexical", "semantic", "hybrid"}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local total = 0
for i = 1, #paths do total = total + 1 / i; cdf[i] = total end
for i = 1, #paths do cdf[i] = cdf[i] / total end
math.randomseed(tonumber(os.getenv("SEED") or "42"))
request = function()
  local r, lo, hi = math.random(), 1, #paths
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < r then lo = mid + 1 else hi = mid end
  end
  n = n + 1
  return wrk.format("GET", paths[lo] .. "&mode=" .. modes[n % 3 + 1])
end
LUA
hits() {
  curl_metrics | awk -v key="cache_gets_total{cache=\"quarry.answers\",result=\"$1\"}" \
    'index($0, key) == 1 {print $2}'
}
curl_metrics() { python3 -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen('$url/metrics').read().decode())"; }
summary() { grep '^SUMMARY' | sed 's/^SUMMARY //'; }

# A server is measured warm, as it runs for hours: the first seconds of load are JIT compilation
# (on 2 cores, shared with wrk) and heap growth, and gave the repeated query a p99 of 0.5-1 s.
echo "== warm-up: ${seconds}s of each route and of the mix, not measured"
wrk -t2 -c32 -d"${seconds}s" "$url/healthz" >/dev/null
wrk -t2 -c32 -d"${seconds}s" "$url/v1/search?q=vitamin%20D%20and%20bone%20density&mode=hybrid&k=10" >/dev/null
PATHS=$work/paths.txt SEED=1 wrk -t2 -c8 -d"${seconds}s" -s "$work/zipf.lua" "$url" >/dev/null

echo "== 1. repeated query (answer-cache hits) against the trivial endpoint, c32, ${seconds}s each"
ceiling=$(wrk -t2 -c32 -d"${seconds}s" -s "$work/fixed.lua" "$url/healthz" | summary)
repeated=$(wrk -t2 -c32 -d"${seconds}s" -s "$work/fixed.lua" "$url/v1/search?q=vitamin%20D%20and%20bone%20density&mode=hybrid&k=10" | summary)
echo "   /healthz:          $ceiling"
echo "   repeated search:   $repeated"
python3 - "$ceiling" "$repeated" <<'PY'
import re, sys
rate = lambda s: float(re.search(r"rps=(\d+)", s).group(1))
print("   ratio repeated/ceiling: %.2f" % (rate(sys.argv[2]) / rate(sys.argv[1])))
PY

for c in 8 32; do
  h0=$(hits hit); m0=$(hits miss)
  echo "== 2. Zipf mix over 1,109 queries, three modes, c$c, ${seconds}s"
  PATHS=$work/paths.txt SEED=$c wrk -t2 -c$c -d"${seconds}s" -s "$work/zipf.lua" "$url" | summary | sed 's/^/   /'
  h1=$(hits hit); m1=$(hits miss)
  python3 -c "h=$h1-$h0; m=$m1-$m0; print('   answer-cache hit rate: %.1f%% (%d hits, %d misses)' % (100*h/max(1,h+m), h, m))"
done

echo "== 3. the Zipf mix at c8 while 1,000 files change (a watch-driven update)"
python3 - "$docs" <<'PY' &
import os, sys, glob
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.md")))[:1000]
for f in files:
    with open(f, "a", encoding="utf-8") as out:
        out.write("\nAppended while the server answers queries.\n")
PY
editor=$!
PATHS=$work/paths.txt SEED=3 wrk -t2 -c8 -d"${seconds}s" -s "$work/zipf.lua" "$url" | summary | sed 's/^/   /'
wait $editor

echo "== 4. edit to searchable: 100 edits, each until a lexical search finds it"
python3 - "$url" "$docs" <<'PY'
import json, os, statistics, sys, time, urllib.request, urllib.parse
url, docs = sys.argv[1], sys.argv[2]
# First the update of part 3 ends (its 1,000 files' vectors too): each edit is measured alone.
start = time.monotonic()
while True:
    status = json.load(urllib.request.urlopen(url + "/v1/status"))
    watch = status.get("watch") or {}
    if status["index"]["vectorCoverage"] >= 1.0 and watch.get("running") is None and not watch.get("pendingPaths"):
        break
    time.sleep(0.2)
print("   (the 1,000-file update of part 3 was done, vectors included, %.1f s after it)" % (time.monotonic() - start))
def found(word):
    answer = json.load(urllib.request.urlopen(url + "/v1/search?mode=lexical&k=1&q=" + word))
    return answer["hits"] and word in json.dumps(answer["hits"][0])
lags = []
for i in range(100):
    word = "zqedit%05d" % i
    path = os.path.join(docs, "edit-%03d.md" % (i % 10))
    start = time.monotonic()
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Edit %d\n\nThe marker %s was saved now.\n" % (i, word))
    while not found(word):
        if time.monotonic() - start > 60:
            sys.exit("edit %d not searchable within 60 s" % i)
        time.sleep(0.01)
    lags.append(time.monotonic() - start)
lags.sort()
print("   lexical: p50 %.0f ms, p95 %.0f ms, max %.0f ms" % (1000 * lags[49], 1000 * lags[94], 1000 * lags[-1]))
start = time.monotonic()
while True:
    status = json.load(urllib.request.urlopen(url + "/v1/status"))
    if status["index"]["vectorCoverage"] >= 1.0 and (status.get("watch") or {}).get("running") is None:
        break
    time.sleep(0.05)
print("   every vector in %.1f s after the last edit was searchable" % (time.monotonic() - start))
PY

echo "== 5. quarry search through the server against a cold one (wall medians of 5)"
wall() {
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e" "$here/quarry" search "vitamin D deficiency" "$@" >/dev/null 2>>"$work/wall.txt" || true
  done
  grep -v WARN "$work/wall.txt" | sort -g | sed -n 3p
  rm -f "$work/wall.txt"
}
echo "   through the server: $(wall --index "$docs") s"
kill $server; wait $server 2>/dev/null || true
trap - EXIT
echo "   cold (server stopped): $(wall --index "$docs") s"
