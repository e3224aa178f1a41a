#!/usr/bin/env bash
# A/B of this checkout against an earlier commit with `quarry bench`, interleaved on one machine:
# builds REV in a scratch worktree, saves a baseline from REV, then alternates runs of REV and of
# this checkout (ROUNDS of each), and prints every figure's pooled median per side, their ratio and
# the probability that a sample of this checkout is higher than one of REV (0.5: no difference).
# Noise on a shared 2-core VM is large: trust pooled figures, not one run's verdict.
# Usage: bench/ab-compare.sh REV [ROUNDS (default 4)] [extra quarry bench args (default: --quick --runs 5 --files 3000)]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/ab-compare.sh REV [ROUNDS] [bench args]}
rounds=${2:-4}
shift $(( $# >= 2 ? 2 : 1 ))
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--quick --runs 5 --files 3000)
work=$(mktemp -d /tmp/quarry-ab.XXXXXX)
old="$work/old-tree"
git worktree add -q --detach "$old" "$rev"
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
echo "A/B: $rev (old) against $(git rev-parse --short HEAD) (new), $rounds rounds of: quarry bench ${args[*]}"
"$old/quarry" --version >/dev/null 2>&1 && ./quarry --version >/dev/null 2>&1 # build both first
"$old/quarry" bench "${args[@]}" --work-dir "$work/old" --baseline "$work/baseline.json" --save-baseline >/dev/null 2>&1
for ((i = 1; i <= rounds; i++)); do
  ./quarry bench "${args[@]}" --work-dir "$work/new" --baseline "$work/baseline.json" >/dev/null 2>&1 || true
  "$old/quarry" bench "${args[@]}" --work-dir "$work/old" --baseline "$work/baseline.json" >/dev/null 2>&1 || true
  echo "  round $i of $rounds done"
done
python3 - "$work/old/history.jsonl" "$work/new/history.jsonl" <<'PY'
import json, statistics, sys
def samples(path):
    out = {}
    for line in open(path):
        for name, fig in json.loads(line)["figures"].items():
            out.setdefault(name, ([], fig["better"]))[0].extend(fig["samples"])
    return out
old, new = samples(sys.argv[1]), samples(sys.argv[2])
print("%-30s %10s %10s %7s %11s %s" % ("figure", "old", "new", "new/old", "P(new>old)", "better"))
for name in old:
    if name not in new:
        continue
    a, better = old[name]
    b, _ = new[name]
    p = sum(1 if y > x else 0.5 if y == x else 0 for x in a for y in b) / (len(a) * len(b))
    print("%-30s %10.3f %10.3f %7.3f %11.2f %s (n=%d/%d)" % (name, statistics.median(a), statistics.median(b),
          statistics.median(b) / statistics.median(a), p, better, len(a), len(b)))
PY
echo "histories and baseline: $work"
