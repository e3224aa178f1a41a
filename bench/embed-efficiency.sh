#!/usr/bin/env bash
# Embedding efficiency: the whole pipeline's chunks/s (scan, extract, chunk, embed, index) against
# a bare loop embedding the same distinct chunk inputs with the same model and batch size, in one
# run, alternating. Target: pipeline >= 90% of the bare loop.
# Usage: bench/embed-efficiency.sh [DOCS] [RUNS]   (DOCS SciFact abstracts, default 600)
set -euo pipefail
docs=${1:-600}
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}
data=$here/../shared/data/scifact/corpus.jsonl
. "$here/scripts/find-java.sh"
quarry_find_java
"$here/quarry" --version >/dev/null
tree=$out/embed-tree
rm -rf "$tree" && mkdir -p "$tree"
python3 - "$data" "$tree" "$docs" <<'PY'
import json, sys
data, tree, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(data) as f:
    for i, line in enumerate(f):
        if i >= n:
            break
        d = json.loads(line)
        with open(f"{tree}/{d['_id']}.md", "w") as o:
            o.write(f"# {d['title']}\n\n{d['text']}\n")
PY
: > "$out/embed-efficiency.tsv"
for i in $(seq 1 "$runs"); do
  rm -rf "$tree/.quarry"
  "$here/quarry" index "$tree" --json -q > "$out/embed-run.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('pipeline', r['chunks']['embedded'], r['wallSeconds'], sep='\t')" "$out/embed-run.json" >> "$out/embed-efficiency.tsv"
  read -r n secs rate < <("$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
      -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" dev.quarry.bench.peer.EmbedLoop "$tree/.quarry" 64 2>/dev/null)
  echo -e "bare-loop\t$n\t$secs" >> "$out/embed-efficiency.tsv"
done
python3 - "$out/embed-efficiency.tsv" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
rate = {}
for tool in ("pipeline", "bare-loop"):
    r = [int(n) / float(s) for t, n, s in rows if t == tool]
    rate[tool] = statistics.median(r)
    print(f"{tool:10s} median {rate[tool]:.1f} chunks/s  (runs: {', '.join(f'{x:.1f}' for x in r)})")
print(f"pipeline / bare loop = {rate['pipeline'] / rate['bare-loop']:.1%} (target >= 90%)")
PY
