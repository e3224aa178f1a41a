package dev.quarry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic test trees. */
final class TestTrees {
  private TestTrees() {}

  private static final String LICENSE =
      """
      /*
       * Copyright the Quarry authors. Licensed under the Apache License, Version 2.0; you may not
       * use this file except in compliance with the License.
       */
      """;

  private static final String[] WORDS = {
    "rocket",
    "launch",
    "orbit",
    "fuel",
    "engine",
    "index",
    "search",
    "quarry",
    "stone",
    "chunk",
    "vector",
    "lexical",
    "signal",
    "commit",
    "crash",
    "resume",
    "manifest"
  };

  /**
   * {@code count} files (Java with a shared license header, Markdown with sections, plain text) of
   * a few hundred bytes to a few KB each, the same for the same seed.
   */
  static void mixed(Path root, int count, long seed) throws IOException {
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      Path dir = root.resolve("pkg" + (i % 7)).resolve("part" + (i % 3));
      Files.createDirectories(dir);
      StringBuilder text = new StringBuilder();
      switch (i % 3) {
        case 0 -> {
          text.append(LICENSE).append("class C").append(i).append(" {\n");
          for (int m = 0; m < 2 + random.nextInt(12); m++) {
            text.append("  void ")
                .append(word(random))
                .append(m)
                .append("() {\n    // ")
                .append(sentence(random, 12))
                .append("\n  }\n");
          }
          Files.writeString(dir.resolve("C" + i + ".java"), text.append("}\n").toString());
        }
        case 1 -> {
          text.append("# ").append(sentence(random, 4)).append("\n\n");
          for (int s = 0; s < 1 + random.nextInt(6); s++) {
            text.append("## ")
                .append(sentence(random, 3))
                .append("\n\n")
                .append(sentence(random, 60))
                .append("\n\n");
          }
          Files.writeString(dir.resolve("doc" + i + ".md"), text.toString());
        }
        default -> {
          for (int l = 0; l < 3 + random.nextInt(40); l++) {
            text.append(sentence(random, 10)).append('\n');
          }
          Files.writeString(dir.resolve("notes" + i + ".txt"), text.toString());
        }
      }
    }
  }

  private static String sentence(Random random, int words) {
    StringBuilder s = new StringBuilder();
    for (int w = 0; w < words; w++) {
      s.append(w == 0 ? "" : " ").append(word(random));
    }
    return s.toString();
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
