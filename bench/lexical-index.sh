#!/usr/bin/env bash
# First-index throughput, lexical only: `quarry index --no-embed` against Lucene's demo IndexFiles
# on the same tree, alternating, fresh index each time; medians of MB/s over the bytes of the
# tree's regular files. Target: quarry >= 2x IndexFiles.
# Usage: bench/lexical-index.sh TREE [RUNS]
set -euo pipefail
tree=$(readlink -f "${1:?usage: bench/lexical-index.sh TREE [RUNS]}")
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}
mkdir -p "$out"
. "$here/scripts/find-java.sh"
quarry_find_java
java="$QUARRY_JAVA_HOME/bin/java"
# lucene-demo is not published for every Lucene release in this registry: 10.1.0 resolves.
demo_version=10.1.0
lib="$out/lucene-demo-$demo_version"
if [ ! -d "$lib" ]; then
  for artifact in lucene-demo lucene-core lucene-analysis-common; do
    JAVA_HOME=$QUARRY_JAVA_HOME "$here/mvnw" -q dependency:copy \
      -Dartifact=org.apache.lucene:$artifact:$demo_version -DoutputDirectory="$lib" >/dev/null
  done
fi
"$here/quarry" --version >/dev/null # builds Quarry if needed, outside the timings
bytes=$(find "$tree" -path "$tree/.quarry" -prune -o -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "tree: $tree, $(echo "$bytes" | awk '{printf "%.1f MB", $1/1e6}') in regular files"
: > "$out/lexical-index.tsv"
for i in $(seq 1 "$runs"); do
  rm -rf "$out/demo-index" "$tree/.quarry"
  s=$(date +%s.%N)
  "$java" --add-modules jdk.incubator.vector -cp "$lib/*" org.apache.lucene.demo.IndexFiles \
    -index "$out/demo-index" -docs "$tree" >/dev/null 2>&1
  e=$(date +%s.%N)
  echo -e "lucene-demo\t$(echo "$e - $s" | bc)" >> "$out/lexical-index.tsv"
  s=$(date +%s.%N)
  "$here/quarry" index "$tree" --no-embed -q >/dev/null 2>&1
  e=$(date +%s.%N)
  echo -e "quarry\t$(echo "$e - $s" | bc)" >> "$out/lexical-index.tsv"
done
rm -rf "$out/demo-index"
python3 - "$out/lexical-index.tsv" "$bytes" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
mb = int(sys.argv[2]) / 1e6
med = {}
for tool in ("lucene-demo", "quarry"):
    secs = [float(s) for t, s in rows if t == tool]
    med[tool] = statistics.median(secs)
    print(f"{tool:12s} median {med[tool]:.1f}s = {mb / med[tool]:.1f} MB/s  (runs: {', '.join(f'{s:.1f}' for s in secs)})")
print(f"ratio quarry/lucene-demo throughput = {med['lucene-demo'] / med['quarry']:.2f} (target >= 2.0)")
PY
