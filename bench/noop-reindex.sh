#!/usr/bin/env bash
# No-op re-index benchmark: `quarry index` on an up-to-date tree against `fdfind -u -t f` listing
# the same tree, in one run (hyperfine, warm cache, medians). Target: ratio <= 2, peak RSS <= 256 MB.
# Usage: bench/noop-reindex.sh TREE [RUNS]
#   make a tree first: bench/generate-tree.py /tmp/tree300k --files 300000
set -euo pipefail
tree=$(readlink -f "${1:?usage: bench/noop-reindex.sh TREE [RUNS]}")
runs=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
command -v fdfind >/dev/null && command -v hyperfine >/dev/null || {
  apt-get update -qq && apt-get install -y -qq fd-find hyperfine >/dev/null
}
out=${BENCH_OUT:-$here/bench-out}
mkdir -p "$out"
echo "== first index (lexical only) of $tree, if needed"
"$here/quarry" index "$tree" --no-embed -q >/dev/null
echo "== no-op re-index vs fdfind, $runs runs each"
hyperfine --warmup 2 --runs "$runs" --export-json "$out/noop.json" \
  -n fdfind "fdfind -u -t f . '$tree'" \
  -n quarry "'$here/quarry' index '$tree' --no-embed -q"
rss_kb=$( { /usr/bin/time -f '%M' "$here/quarry" index "$tree" --no-embed -q >/dev/null; } 2>&1 | tail -1)
python3 - "$out/noop.json" "$rss_kb" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
fd, q = results["fdfind"], results["quarry"]
print(f"fdfind  median {fd['median']:.3f}s  (min {fd['min']:.3f}, max {fd['max']:.3f})")
print(f"quarry  median {q['median']:.3f}s  (min {q['min']:.3f}, max {q['max']:.3f})")
print(f"ratio quarry/fdfind = {q['median'] / fd['median']:.2f} (target <= 2.0)")
print(f"quarry peak RSS = {int(sys.argv[2]) / 1024:.0f} MB (target <= 256)")
PY
