#!/usr/bin/env bash
# A whole tree indexed with minilm-static (issue 13: the 300k-file tree), once, from an empty index:
# the process's wall time (closing waits for the merges in flight), the run's own time and rate
# from its report, and memory sampled every 2 s from /proc: peak RSS, and its split into anonymous
# memory (heap, native buffers) and mapped file pages (index files a writing run maps: norms, and
# with a static model the vectors its merges compare; the kernel can drop those, they are files).
# The static model must be built already (any earlier minilm-static run): its one-time build
# would count in the wall time otherwise.
# Usage: bench/static-tree.sh TREE      e.g. bench/generate-tree.py /tmp/tree300k --files 300000
#                                            bench/static-tree.sh /tmp/tree300k
set -euo pipefail
tree=$(readlink -f "${1:?usage: bench/static-tree.sh TREE}")
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}/static-tree
rm -rf "$out" && mkdir -p "$out"
"$here/quarry" --version >/dev/null # builds if needed, before the clock starts
start=$(date +%s.%N)
"$here/quarry" index "$tree" --index "$out/index" --model minilm-static --json -q > "$out/run.json" &
pid=$!
peak_rss=0 peak_anon=0 peak_file=0
while kill -0 "$pid" 2>/dev/null; do
  if read -r rss anon file < <(awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
      END {print r+0, a+0, f+0}' "/proc/$pid/status" 2>/dev/null); then
    [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
    [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
    [ "$file" -gt "$peak_file" ] && peak_file=$file
  fi
  sleep 2
done
wait "$pid"
end=$(date +%s.%N)
python3 - "$out/run.json" "$start" "$end" "$peak_rss" "$peak_anon" "$peak_file" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
rss, anon, file = (int(x) / 1024 for x in sys.argv[4:7])
print(f"{r['files']['indexed']:,} files, {r['chunks']['embedded']:,} chunks embedded")
print(f"process wall {wall:.0f} s; the run {r['wallSeconds']:.0f} s ({r['chunksPerSecond']:.0f} chunks/s)")
print(f"peak RSS {rss:.0f} MB: anonymous {anon:.0f} MB, mapped files {file:.0f} MB (peaks apart)")
PY
du -sh "$out/index" | awk '{print "index " $1}'
