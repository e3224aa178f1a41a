/**
 * JMH micro-benchmarks of Quarry's hot paths: analysis, token counting, chunking, loading the
 * manifest. Compiled with the tests of quarry-bench (JMH's annotation processor writes the
 * benchmark list into target/test-classes), never run by them: {@code bench/jmh.sh [REGEX] [JMH
 * args]} builds and runs them. Inputs are frozen copies (a source file of Quarry, BENCHMARKS.md) in
 * src/jmh/resources, so a figure changes only when the code under test does.
 */
package dev.quarry.bench.jmh;
