#!/usr/bin/env bash
# Remote embedding throughput: 'quarry serve --embeddings' on loopback, embedded through by
# RemoteEmbeddingModel at concurrency 1, 2, 4 and 8, against the same texts embedded in-process
# (the peer) in the same run, alternating. Prints chunks/s, the median of RUNS runs.
# Usage: bench/remote-embed.sh [TEXTS] [RUNS]   (TEXTS SciFact abstracts cut to ~200 tokens, default 256)
set -euo pipefail
count=${1:-256}
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}
data=$here/../shared/data/scifact/corpus.jsonl
mkdir -p "$out"
. "$here/scripts/find-java.sh"
quarry_find_java
"$here/quarry" --version >/dev/null # builds when needed
threads=$(nproc)

# ~200 tokens a text: 800 chars of title and abstract, newlines flattened (one text a line).
python3 - "$data" "$out/remote-texts.txt" "$count" <<'PY'
import json, sys
data, dest, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(data) as f, open(dest, "w") as o:
    for i, line in enumerate(f):
        if i >= n:
            break
        d = json.loads(line)
        o.write((d["title"] + ". " + d["text"]).replace("\n", " ")[:800] + "\n")
PY

log=$out/remote-serve.log
"$here/quarry" serve --embeddings --port 0 --threads "$threads" > "$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/.* at \(http:[^ ]*\) .*/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start:" >&2; cat "$log" >&2; exit 1; }
echo "server: $url ($threads threads); $count texts, calls of 64, $runs runs" >&2

"$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx1g \
    -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" dev.quarry.bench.peer.RemoteEmbedLoop \
    "$url" "$out/remote-texts.txt" "$runs" 64 "$threads" 1 2 4 8 2>/dev/null > "$out/remote-embed.tsv"

python3 - "$out/remote-embed.tsv" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
tools = list(dict.fromkeys(r[0] for r in rows))
peer = None
print(f"{'client':12s} {'chunks/s':>9s} {'vs in-process':>14s}  runs")
for tool in tools:
    rates = [int(n) / float(s) for t, n, s in rows if t == tool]
    median = statistics.median(rates)
    peer = peer or median
    print(f"{tool:12s} {median:9.1f} {median / peer:13.0%}   {', '.join(f'{x:.1f}' for x in rates)}")
PY
