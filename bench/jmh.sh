#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths (quarry-bench/src/jmh/java, package dev.quarry.bench.jmh):
# Lucene analysis with CodeAnalyzer, WordPiece token counting, chunking a Java file and a Markdown
# document, loading the manifest snapshot of a 50k-file index. Builds quarry-bench (the benchmarks
# are compiled with its tests; JMH's annotation processor writes the benchmark list), then runs JMH
# with the JVM flags Quarry needs. Not a regression gate: `quarry bench` is that.
# Usage: bench/jmh.sh [REGEX] [extra JMH args]
#   bench/jmh.sh                                   every benchmark, the annotations' settings
#   bench/jmh.sh Chunking -f 1 -wi 1 -i 2 -w 1s -r 1s   a quick look at one
#   bench/jmh.sh -l                                list them; bench/jmh.sh -h for JMH's options
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/find-java.sh"
quarry_find_java
quarry_utf8_locale
export JAVA_HOME=$QUARRY_JAVA_HOME
module=$here/quarry-bench
# The test class path (JMH is a test dependency), written by the dependency plugin relative to
# each module of the reactor; quarry-core's entry is its freshly packaged jar.
(cd "$here" && ./mvnw -B -q --no-transfer-progress -DskipTests -pl quarry-bench -am package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >&2)
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh.classpath")"
args=()
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  args+=("$1")
  shift
fi
exec "$QUARRY_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -cp "$classpath" org.openjdk.jmh.Main "${args[@]}" "$@"
