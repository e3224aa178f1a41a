#!/usr/bin/env bash
# Crash soak: kills a real `quarry index` process (SIGKILL) at TRIALS seeded random moments of an
# embedding run over a 70-file tree, resumes each, and checks every time that the resumed index is
# identical to an uninterrupted one (files, chunks, hashes, line ranges, manifest) and that only
# chunks without a committed vector were embedded again. CI runs 3 such trials; this runs many.
# Usage: bench/crash-soak.sh [TRIALS (default 50)] [SEED (default: the time)]
# Prints one line per trial and the test's verdict; exits non-zero on the first failed trial.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
quarry_find_java
quarry_utf8_locale
export JAVA_HOME=$QUARRY_JAVA_HOME
trials=${1:-50}
seed=${2:-$(date +%s)}
echo "crash soak: $trials trials, seed $seed (rerun the same moments with: $0 $trials $seed)"
./mvnw -B --no-transfer-progress verify -pl quarry-cli -am \
  -Dtest='CrashResumeTest#killedAtRandomMomentsThenResumedGivesTheUninterruptedIndex' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dquarry.crash.trials="$trials" -Dquarry.crash.seed="$seed" 2>&1 |
  grep -E 'crash trials|  trial |Tests run:|FAIL|Expecting|expected' | grep -v 'Tests run: 0'
