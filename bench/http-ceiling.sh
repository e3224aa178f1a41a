#!/usr/bin/env bash
# The ceiling of the HTTP layer on this machine: wrk against a trivial endpoint (GET /ping, 16 bytes
# of JSON) served by Jetty 12 (the layer of 'quarry serve') and by the JDK's HttpServer with virtual
# threads, in the same run, alternated ROUNDS times; medians of requests/s and of wrk's p99.
# This is what any route of Quarry's server can reach at best here, and how the choice of layer was
# measured. Loopback only; wrk is installed with apt when missing.
# Usage: bench/http-ceiling.sh [ROUNDS (default 3)] [SECONDS per run (default 10)] [CONNECTIONS (default 32)]
set -euo pipefail
rounds=${1:-3}
seconds=${2:-10}
connections=${3:-32}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/find-java.sh"
quarry_find_java
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing wrk" >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
fi
"$here/quarry" --version >/dev/null # builds Quarry (and the peers) if needed
classpath="$here/quarry-cli/target/quarry-cli.jar:$here/quarry-cli/target/lib/*"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
declare -A url
for layer in jetty jdk; do
  log=$(mktemp)
  "$QUARRY_JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -cp "$classpath" \
    dev.quarry.bench.peer.HttpCeiling "$layer" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$log" ] && break; sleep 0.1; done
  url[$layer]=$(head -1 "$log")
  echo "== $layer: ${url[$layer]}"
done
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$connections -d${seconds}s, $rounds rounds"

declare -A rates p99s
for round in $(seq "$rounds"); do
  for layer in jetty jdk; do
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "${url[$layer]}/ping" >/tmp/wrk-$$.txt
    rate=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-$$.txt)
    p99=$(awk '$1 == "99%" {print $2}' /tmp/wrk-$$.txt)
    echo "   round $round $layer: $rate req/s, p99 $p99"
    rates[$layer]+="$rate "
    p99s[$layer]+="$p99 "
  done
done
rm -f /tmp/wrk-$$.txt
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for layer in jetty jdk; do
  echo "$layer: median $(echo "${rates[$layer]}" | median) req/s, p99 per round: ${p99s[$layer]}"
done
