#!/usr/bin/env bash
# Embedding cache hit rate: index a generated tree with an empty disk cache, modify 1% of its
# files, delete the index, index again with the same cache; report the share of chunks that came
# from the cache instead of the model (target >= 99%), and the time of both runs. Then a second
# "machine" (its own empty memory and disk caches) sharing a Redis with a first: its hit rate.
# Usage: bench/cache-hit-rate.sh [FILES (default 400)] [WORK_DIR (default bench-out/cache-hit-rate)]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-400}
work=${2:-$here/bench-out/cache-hit-rate}
rm -rf "$work" && mkdir -p "$work"
python3 "$here/bench/generate-tree.py" "$work/tree" --files "$files" --seed 7 >/dev/null
cache="$work/cache"
run() { # INDEX_DIR -> prints the run summary JSON
  "$here/quarry" index "$work/tree" --index "$1" --cache-dir "$cache" --json -q
}
field() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval(sys.argv[1]))" "$2"; }

echo "== first index, empty cache ($files files)"
run "$work/first" > "$work/first.json"
echo "   $(field "$work/first.json" "d['chunks']['total']") chunks, $(field "$work/first.json" "d['chunks']['embedded']") embedded, $(field "$work/first.json" "d['wallSeconds']") s"

echo "== modify 1% of the files, delete the index"
python3 - "$work/tree" <<'PY'
import os, sys
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs)
changed = paths[::100]
for p in changed:
    with open(p, "a", encoding="utf-8") as out:
        out.write("\n// edited for the cache benchmark: a new line changes the last chunk\n")
print(f"   modified {len(changed)} of {len(paths)} files")
PY
rm -rf "$work/first"

echo "== second index of the tree, same cache"
run "$work/second" > "$work/second.json"
total=$(field "$work/second.json" "d['chunks']['total']")
embedded=$(field "$work/second.json" "d['chunks']['embedded']")
echo "   $total chunks, $embedded embedded, $(field "$work/second.json" "d['wallSeconds']") s"
python3 - "$work/second.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
total, embedded = d["chunks"]["total"], d["chunks"]["embedded"]
share = 100.0 * (total - embedded) / total
print(f"chunks from cache: {share:.2f}% (target >= 99%)")
for t in d["cache"]:
    print(f"  tier {t['tier']:7s} lookups {t['lookups']:7d} hits {t['hits']:7d} rate {100*t['hitRate']:6.2f}% "
          f"writes {t['writes']:6d} mean {t['meanMillis']:.2f} ms")
PY

echo "== a second machine sharing a Redis: empty memory and disk caches, same tree"
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
machine() { # NAME -> run summary JSON
  "$here/quarry" index "$work/tree" --index "$work/$1/index" --cache-dir "$work/$1/cache" \
    --cache-redis "redis://127.0.0.1:$port" --json -q
}
machine machine-a > "$work/machine-a.json"
echo "   machine A: $(field "$work/machine-a.json" "d['chunks']['embedded']") chunks embedded (fills the shared cache)"
machine machine-b > "$work/machine-b.json"
python3 - "$work/machine-b.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
total, embedded = d["chunks"]["total"], d["chunks"]["embedded"]
print(f"   machine B: {embedded} of {total} chunks embedded, {d['wallSeconds']} s")
print(f"chunks from cache on machine B: {100.0 * (total - embedded) / total:.2f}% (target >= 99%)")
for t in d["cache"]:
    print(f"  tier {t['tier']:7s} lookups {t['lookups']:7d} hits {t['hits']:7d} rate {100*t['hitRate']:6.2f}% "
          f"mean {t['meanMillis']:.2f} ms")
PY
