#!/usr/bin/env bash
# Search quality of the shared cache's float16 vectors against float32, on SciFact (exact search,
# 300 test queries): nDCG@10 of both and their top-10 overlap. Builds the evaluation index first
# if WORK_DIR has none (about 4 minutes of embedding).
# Usage: bench/float16-quality.sh [WORK_DIR (default bench-out/scifact-eval)]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/bench-out/scifact-eval}
data="$here/../shared/data/scifact"
"$here/quarry" --version >/dev/null # builds if needed
. "$here/scripts/find-java.sh"
quarry_find_java
[ -d "$work/index" ] || "$here/quarry" eval "$data" --mode semantic --work-dir "$work" >/dev/null
"$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -cp "$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*" \
  dev.quarry.bench.peer.Float16Quality "$work/index" "$data" 2>/dev/null
