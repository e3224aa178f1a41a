#!/usr/bin/env bash
# The SolrCloud store against the embedded index on SciFact (issue 15), in one run each for a
# 1-node and a 2-node local cluster (scripts/solrcloud; shards = nodes, one replica):
#   - first-index throughput, lexical and with every vector from the disk cache;
#   - nDCG@10 per mode on both stores and the mean overlap of their top-10 documents;
#   - query latency p50/p99 per mode (k=10), the two stores' queries interleaved.
# The peer is dev.quarry.bench.peer.StoreParity (quarry-bench). Usage: bench/solr-store.sh [RUNS]
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}/solr-store
data=$here/../shared/data/scifact
. "$here/scripts/find-java.sh"
quarry_find_java
"$here/quarry" --version >/dev/null # builds Quarry if needed, outside the timings
mkdir -p "$out"
"$here/scripts/solrcloud" stop >/dev/null
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for nodes in 1 2; do
  url=$("$here/scripts/solrcloud" start --nodes "$nodes" | tail -1 | sed 's/^SOLR_URL=//')
  echo "== SolrCloud of $nodes node(s) at $url, collection of $nodes shard(s)"
  "$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    -Xmx1g -XX:+UseSerialGC -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" \
    dev.quarry.bench.peer.StoreParity "$data" "$out/work-$nodes" "solr:$url/scifact?shards=$nodes" "$runs" \
    2>&1 | grep -v -e '^WARNING: Using incubator' -e 'PanamaVectorizationProvider' -e '^INFO: Java vector'
  "$here/scripts/solrcloud" stop >/dev/null
done
