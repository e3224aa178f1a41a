package dev.quarry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A synthetic source tree for indexing benchmarks, the same for a given shape on every machine: the
 * shape of {@code bench/generate-tree.py} (packages of modules of source folders, {@code
 * .gitignore} files that exclude build output and generated code, mostly small files with a few
 * large ones, a few binaries, code and prose in several languages), written by Java so {@code
 * quarry bench} needs nothing else. Not byte-identical to the Python generator.
 *
 * @param files source files to write (ignored and binary extras come on top)
 * @param maxFileBytes cap on a file's size (the size mix is 80% 200 B–4 KB, 19% 4–40 KB, 1% 40–200
 *     KB)
 * @param seed the generator's seed
 */
public record SyntheticTree(int files, int maxFileBytes, long seed) {
  private static final String[] WORDS =
      ("index search query vector token chunk lucene quarry river stone parse config file "
              + "user account request response server client cache batch stream buffer thread lock "
              + "commit manifest hash delete rename embed model score rank fusion filter path glob")
          .split(" ");
  private static final String[] EXTENSIONS = {
    ".java", ".py", ".ts", ".go", ".md", ".txt", ".json", ".yaml"
  };
  private static final int[] EXTENSION_WEIGHTS = {30, 20, 15, 10, 10, 5, 5, 5};

  public SyntheticTree {
    if (files < 1) {
      throw new IllegalArgumentException("files must be positive, got " + files);
    }
    if (maxFileBytes < 200) {
      throw new IllegalArgumentException("maxFileBytes must be at least 200, got " + maxFileBytes);
    }
  }

  /** What a generated tree holds. */
  public record Stats(int files, long bytes) {}

  /** A folder name that identifies this shape. */
  public String directoryName() {
    return "tree-" + files + "-" + maxFileBytes + "-s" + seed;
  }

  /**
   * The tree under {@code parent}/{@link #directoryName()}: generated unless a previous call
   * completed it (a marker file beside it records that), so reruns reuse it.
   */
  public Stats materialize(Path parent) throws IOException {
    Path dir = parent.resolve(directoryName());
    Path marker = parent.resolve(directoryName() + ".complete");
    if (Files.isRegularFile(marker) && Files.isDirectory(dir)) {
      String[] parts = Files.readString(marker, StandardCharsets.UTF_8).trim().split(" ");
      return new Stats(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }
    deleteRecursively(dir);
    Stats stats = generate(dir);
    Files.writeString(marker, stats.files() + " " + stats.bytes() + "\n", StandardCharsets.UTF_8);
    return stats;
  }

  /** Writes the tree into {@code dir} (created; it should be empty). */
  public Stats generate(Path dir) throws IOException {
    Random rng = new Random(seed);
    List<String> exts = new ArrayList<>();
    for (int i = 0; i < EXTENSIONS.length; i++) {
      for (int w = 0; w < EXTENSION_WEIGHTS[i]; w++) {
        exts.add(EXTENSIONS[i]);
      }
    }
    Files.createDirectories(dir);
    long bytes = write(dir.resolve(".gitignore"), "build/\n*.class\nnode_modules/\n");
    int written = 0;
    for (int pkg = 0; written < files; pkg++) {
      Path pkgDir = dir.resolve(String.format("pkg%04d", pkg));
      int modules = 2 + rng.nextInt(5);
      for (int module = 0; module < modules && written < files; module++) {
        Path moduleDir = pkgDir.resolve("module" + module);
        Path src = moduleDir.resolve("src/main/part" + rng.nextInt(4));
        Files.createDirectories(src);
        if (rng.nextDouble() < 0.3) {
          bytes += write(moduleDir.resolve(".gitignore"), "generated/\n*.tmp\n");
          Files.createDirectories(moduleDir.resolve("generated"));
          bytes += write(moduleDir.resolve("generated/Ignored.java"), "class Ignored {}\n");
        }
        Files.createDirectories(moduleDir.resolve("build"));
        bytes +=
            writeBytes(
                moduleDir.resolve("build/out.class"),
                randomBytes(
                    rng, 64, new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}));
        int count = 10 + rng.nextInt(51);
        for (int f = 0; f < count && written < files; f++) {
          String ext = exts.get(rng.nextInt(exts.size()));
          double r = rng.nextDouble();
          int target =
              r < 0.8
                  ? 200 + rng.nextInt(3_801)
                  : r < 0.99 ? 4_000 + rng.nextInt(36_001) : 40_000 + rng.nextInt(160_001);
          target = Math.min(target, maxFileBytes);
          String name = "file" + written;
          if (rng.nextDouble() < 0.005) {
            bytes += writeBytes(src.resolve(name + ".bin"), randomBytes(rng, 2048, new byte[0]));
          } else {
            bytes += write(src.resolve(name + ext), body(rng, ext, target));
          }
          written++;
        }
      }
    }
    return new Stats(written, bytes);
  }

  /** Lines of words until the target size: Markdown sections, JSON/YAML pairs, or code methods. */
  static String body(Random rng, String ext, int targetBytes) {
    StringBuilder out = new StringBuilder(targetBytes + 128);
    for (int n = 0; out.length() < targetBytes; n++) {
      String words = words(rng, 3 + rng.nextInt(10));
      if (ext.equals(".md")) {
        out.append(n % 12 == 0 ? "## " + titleCase(words) : words + ".");
      } else if (ext.equals(".json") || ext.equals(".yaml")) {
        out.append("  \"")
            .append(WORDS[rng.nextInt(WORDS.length)])
            .append('_')
            .append(n)
            .append("\": \"")
            .append(words)
            .append("\",");
      } else {
        String[] w = words.split(" ");
        StringBuilder name = new StringBuilder(w[0]);
        for (int i = 1; i < Math.min(3, w.length); i++) {
          name.append(Character.toUpperCase(w[i].charAt(0))).append(w[i], 1, w[i].length());
        }
        out.append("    void ")
            .append(name)
            .append(n)
            .append("() { /* ")
            .append(words)
            .append(" */ }");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** {@code count} words drawn with {@code rng}, joined by spaces. */
  static String words(Random rng, int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) {
      s.append(i == 0 ? "" : " ").append(WORDS[rng.nextInt(WORDS.length)]);
    }
    return s.toString();
  }

  private static String titleCase(String words) {
    StringBuilder s = new StringBuilder();
    for (String w : words.split(" ")) {
      s.append(s.isEmpty() ? "" : " ")
          .append(Character.toUpperCase(w.charAt(0)))
          .append(w, 1, w.length());
    }
    return s.toString();
  }

  private static byte[] randomBytes(Random rng, int count, byte[] prefix) {
    byte[] b = new byte[prefix.length + count];
    System.arraycopy(prefix, 0, b, 0, prefix.length);
    for (int i = prefix.length; i < b.length; i++) {
      b[i] = (byte) rng.nextInt(256);
    }
    return b;
  }

  private static long write(Path file, String text) throws IOException {
    return writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static long writeBytes(Path file, byte[] content) throws IOException {
    Files.write(file, content);
    return content.length;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
