package dev.quarry.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The benchmarks' inputs: realistic files, read from the class path. */
final class Samples {
  private Samples() {}

  /** A Java source file of Quarry (QuarryIndex, ~450 lines of code and Javadoc). */
  static String javaSource() {
    return read("sample-source.java.txt");
  }

  /** A Markdown document (BENCHMARKS.md, ~320 lines of prose, tables and code). */
  static String markdown() {
    return read("sample-doc.md");
  }

  private static String read(String name) {
    try (InputStream in = Samples.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "benchmark input " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
