#!/usr/bin/env bash
# Memory of a first index with embeddings: peak RSS of the whole `quarry index` process
# (/usr/bin/time -v, "Maximum resident set size") over a folder, with an empty embedding cache and
# a fresh index each run (a cache hit skips ONNX Runtime, and with it most of the memory). Median
# of RUNS runs; chunks/s from the run report. Target: <= 512 MB with the default settings.
# Usage: bench/memory.sh FOLDER [RUNS] [-- EXTRA INDEX OPTIONS]
#   e.g. bench/memory.sh /tmp/scifact-docs 3          (SciFact as files: quarry eval ... --work-dir)
#   Environment passes through: QUARRY_HEAP=192m bench/memory.sh DIR, MALLOC_ARENA_MAX=2 ...
set -euo pipefail
folder=$(readlink -f "${1:?usage: bench/memory.sh FOLDER [RUNS] [-- EXTRA INDEX OPTIONS]}")
runs=${2:-3}
shift $(($# < 2 ? $# : 2))
[ "${1:-}" = "--" ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
out=${BENCH_OUT:-$here/bench-out}/memory
rm -rf "$out" && mkdir -p "$out"
# Builds if needed and trains the start-up cache now: /usr/bin/time reports the largest process of
# the tree it runs, and a training JVM started by the launcher would count as the index run.
"$here/quarry" --version >/dev/null
: > "$out/runs.tsv"
for i in $(seq 1 "$runs"); do
  rm -rf "$out/index" "$out/cache"
  /usr/bin/time -v -o "$out/time.txt" "$here/quarry" index "$folder" --index "$out/index" \
    --cache-dir "$out/cache" --json -q "$@" > "$out/run.json"
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out/time.txt")
  cpu_s=$(awk -F: '/User time|System time/ {s += $2} END {print s}' "$out/time.txt")
  python3 - "$out/run.json" "$rss_kb" "$cpu_s" >> "$out/runs.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(int(sys.argv[2]), r["chunks"]["embedded"], r["wallSeconds"], r["chunksPerSecond"],
      float(sys.argv[3]), sep="\t")
PY
  tail -1 "$out/runs.tsv" | awk -F'\t' -v i="$i" \
    '{printf "run %d: peak RSS %.0f MB, %d chunks embedded, %.1f s, %.1f chunks/s, %.0f CPU s\n", i, $1 / 1024, $2, $3, $4, $5}'
done
rm -rf "$out/index" "$out/cache"
python3 - "$out/runs.tsv" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
rss = statistics.median(int(r[0]) for r in rows) / 1024
rate = statistics.median(float(r[3]) for r in rows)
print(f"median of {len(rows)}: peak RSS {rss:.0f} MB (target <= 512), {rate:.1f} chunks/s")
PY
