#!/usr/bin/env bash
# The web page's load time (issue 14): `quarry serve TREE` on a free port, then headless Chromium
# loads a shared search link (/?q=QUERY) and the dashboard (/#dashboard) RUNS times each, in a
# fresh profile every time (nothing cached); the page marks <body data-ready-ms> when its first
# view has its data (performance.now() since navigation), which is the figure reported: median
# and range. Also the bytes the page costs. Chromium is installed with apt when missing.
# Usage: bench/web-page.sh TREE "QUERY" [RUNS (5)]
set -euo pipefail
tree=$(readlink -f "${1:?usage: bench/web-page.sh TREE QUERY [RUNS]}")
query=${2:?usage: bench/web-page.sh TREE QUERY [RUNS]}
runs=${3:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
"$here/quarry" --version >/dev/null 2>&1 # builds Quarry if needed
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$here/quarry" serve "$tree" --port 0 --no-watch > "$work/url" 2> "$work/serve.log" &
server=$!
for _ in $(seq 600); do [ -s "$work/url" ] && break; sleep 0.2; done
url=$(head -1 "$work/url")
for _ in $(seq 3000); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$url/readyz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
bytes=0
for asset in / /ui/app.js /ui/app.css /ui/uplot.js /ui/uplot.css; do
  bytes=$((bytes + $(curl -s -o /dev/null -w '%{size_download}' "$url$asset")))
done
echo "page: $bytes bytes in 5 files (HTML, script, style, uPlot and its style)"
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
for view in "/?q=$encoded" "/#dashboard"; do
  times=()
  for i in $(seq "$runs"); do
    dom=$(chromium --headless --no-sandbox --disable-gpu --no-first-run \
      --user-data-dir="$work/profile-$i-${#times[@]}-$RANDOM" --virtual-time-budget=10000 \
      --dump-dom "$url$view" 2>/dev/null)
    ms=$(grep -o 'data-ready-ms="[0-9]*"' <<< "$dom" | grep -o '[0-9]*' || echo "")
    [ -n "$ms" ] || { echo "the page never became ready at $view" >&2; exit 1; }
    times+=("$ms")
  done
  python3 - "$view" "${times[@]}" <<'PY'
import statistics, sys
view, times = sys.argv[1], sorted(int(t) for t in sys.argv[2:])
print(f"{view}: ready in {statistics.median(times):.0f} ms median ({times[0]}-{times[-1]}, {len(times)} loads)")
PY
done
