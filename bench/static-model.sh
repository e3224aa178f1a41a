#!/usr/bin/env bash
# minilm-static: (1) the distillation's wall time and peak RSS, built twice from scratch through
# the CLI (its 256 MB heap) into fresh cache directories, and whether both builds wrote the same
# bytes; (2) embedding throughput, minilm-static against the default model, on the same chunk
# inputs (DOCS SciFact abstracts, chunked as an index run chunks them), in one JVM
# (dev.quarry.bench.peer.StaticModelThroughput; target >= 50x); (3) with EVAL=1, SciFact test
# nDCG@10 of minilm-static in every mode through `quarry eval`.
# Usage: bench/static-model.sh [DOCS (default 1000)]   EVAL=1 bench/static-model.sh
set -euo pipefail
docs=${1:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$here/bench-out}/static-model
data=$here/../shared/data/scifact
. "$here/scripts/find-java.sh"
quarry_find_java
"$here/quarry" --version >/dev/null # builds if needed
rm -rf "$out" && mkdir -p "$out/empty"

echo "# distillation (whole vocabulary, 2 teacher threads), twice from scratch"
for build in 1 2; do
  /usr/bin/time -f "%e %M" -o "$out/time-$build" env XDG_CACHE_HOME="$out/xdg-$build" \
    "$here/quarry" index "$out/empty" --index "$out/empty-index-$build" --model minilm-static \
    --threads 2 -q 2>/dev/null >/dev/null
  read -r secs kb < "$out/time-$build"
  file=$(ls "$out/xdg-$build/quarry/models/"*.bin)
  echo "build $build: ${secs} s wall, peak RSS $((kb / 1024)) MB, $(du -k "$file" | cut -f1) KiB, sha256 $(sha256sum "$file" | cut -c1-16)"
done
if cmp -s "$out"/xdg-1/quarry/models/*.bin "$out"/xdg-2/quarry/models/*.bin; then
  echo "deterministic: both builds wrote the same bytes"
else
  echo "NOT deterministic: the two builds differ"
fi

echo "# throughput on the chunks of $docs SciFact abstracts"
tree=$out/tree
mkdir -p "$tree"
python3 - "$data/corpus.jsonl" "$tree" "$docs" <<'PY'
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
"$here/quarry" index "$tree" --index "$out/tree-index" --no-embed -q >/dev/null 2>&1
XDG_CACHE_HOME="$out/xdg-1" "$QUARRY_JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" \
  dev.quarry.bench.peer.StaticModelThroughput "$out/tree-index" 64 5 2>/dev/null

if [ "${EVAL:-0}" = 1 ]; then
  echo "# SciFact test, minilm-static"
  XDG_CACHE_HOME="$out/xdg-1" "$here/quarry" eval "$data" --mode all --model minilm-static \
    --work-dir "$out/scifact" -q
fi
