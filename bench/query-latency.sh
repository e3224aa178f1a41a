#!/usr/bin/env bash
# Query latency, single thread, p50/p95/p99 per mode, through `quarry bench --only query` (the CLI's
# own Searcher: analysis, Lucene, stored fields, snippets, staleness check):
#   1. the BEIR SciFact index (5,183 docs, 13.5k chunks, with embeddings; built into the work dir on
#      first use, minutes): lexical, semantic, hybrid; the 300 test queries;
#   2. a lexical index of >= 1M chunks (a 300k-file synthetic tree: ~2.6M chunks; built on first
#      use, several minutes); 500 queries of 1-3 terms sampled (seed 42) from its term dictionary;
# then the lexical queries of both again, interleaved in one process with plain Lucene on the same
# index (the peer dev.quarry.bench.peer.QueryLatencyPeer, compiled in quarry-bench): Quarry's
# Searcher, the same Lucene query without rendering hits, and one-field BM25. Targets (PRODUCT.md): lexical p99 <= 10 ms at 1M chunks; hybrid p50
# <= 5 ms, p99 <= 30 ms.
# Usage: bench/query-latency.sh [TREE] [RUNS]
#   TREE defaults to /tmp/tree300k (generated with bench/generate-tree.py --files 300000 if absent)
set -euo pipefail
tree=${1:-/tmp/tree300k}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}
data=$here/../shared/data/scifact
mkdir -p "$out"
. "$here/scripts/find-java.sh"
quarry_find_java
"$here/quarry" --version >/dev/null # builds Quarry if needed, outside the timings
if [ ! -d "$tree" ]; then
  echo "== generating $tree (300,000 files)"
  python3 "$here/bench/generate-tree.py" "$tree" --files 300000
fi
tree=$(readlink -f "$tree")
big=$out/index-$(basename "$tree")
echo "== lexical index of $tree in $big (first time: minutes; then a no-op re-index)"
"$here/quarry" index "$tree" --no-embed --index "$big" -q >/dev/null
chunks=$("$here/quarry" status --index "$big" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["chunks"])')
echo "   $chunks chunks"
[ "$chunks" -ge 1000000 ] || echo "   warning: fewer than 1M chunks; use a larger tree"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== SciFact: quarry bench --only query --runs $runs"
"$here/quarry" bench --only query --runs "$runs" --scifact "$data" --work-dir "$out/bench"
echo
echo "== $chunks-chunk lexical index: quarry bench --only query --index ... --runs $runs"
"$here/quarry" bench --only query --runs "$runs" --index "$big" --queries 500 --work-dir "$out/bench-$(basename "$tree")"
echo

peer() {
  "$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    -Xmx1g -XX:+UseSerialGC -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" \
    dev.quarry.bench.peer.QueryLatencyPeer "$@" 2>&1 | grep -v -e '^WARNING: Using incubator' -e 'PanamaVectorizationProvider' -e '^INFO: Java vector'
}
echo "== peer, SciFact lexical: Quarry vs plain Lucene on the same index, interleaved"
peer "$out/bench/scifact/index" "beir:$data" "$runs" 2
echo
echo "== peer, $chunks-chunk index: Quarry vs plain Lucene on the same index, interleaved"
peer "$big" terms:500 "$runs" 2
