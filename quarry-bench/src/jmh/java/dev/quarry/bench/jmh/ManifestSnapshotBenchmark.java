package dev.quarry.bench.jmh;

import dev.quarry.chunk.Chunkers;
import dev.quarry.index.QuarryIndex;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Loading the manifest snapshot of an index of {@code files} files, the first step of every
 * re-index (change detection compares the tree's stat data with it), then looking every file up in
 * it. The index is built once per trial in a temporary folder: manifest entries only (no chunks),
 * as {@code quarry index} writes them, committed into one segment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class ManifestSnapshotBenchmark {
  @Param({"50000"})
  public int files;

  private Path dir;
  private QuarryIndex index;
  private String[] names;
  private long[] sizes;
  private long[] mtimes;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("quarry-jmh-manifest");
    Random random = new Random(42);
    HexFormat hex = HexFormat.of();
    byte[] hash = new byte[32];
    names = new String[files];
    sizes = new long[files];
    mtimes = new long[files];
    String root = "/srv/tree";
    try (QuarryIndex writer = QuarryIndex.openForWriting(dir)) {
      for (int i = 0; i < files; i++) {
        // A tree's shape: a few hundred folders, paths of realistic length.
        String path = "src/module" + (i % 40) + "/pkg" + (i % 300) + "/File" + i + ".java";
        names[i] = root + "/" + path;
        sizes[i] = 1_000 + random.nextInt(50_000);
        mtimes[i] = 1_700_000_000_000L + random.nextInt(1_000_000_000);
        random.nextBytes(hash);
        writer.writeFile(
            new ManifestEntry(
                names[i],
                root,
                path,
                sizes[i],
                mtimes[i],
                "dev=2049,ino=" + (100_000 + i),
                hex.formatHex(hash),
                1 + random.nextInt(8),
                "java",
                Chunkers.VERSION,
                ""),
            List.of(),
            true);
      }
      writer.commit(Map.of());
    }
    index = QuarryIndex.openForReading(dir);
  }

  @TearDown
  public void tearDown() throws IOException {
    index.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The snapshot alone: read every manifest document's columns, build the lookup table. */
  @Benchmark
  public int load() throws IOException {
    try (ManifestSnapshot snapshot = index.manifestSnapshot()) {
      return snapshot.size();
    }
  }

  /**
   * The snapshot, then every file looked up and found unchanged (same size, mtime, pipeline and
   * model), as change detection does on a re-index with nothing changed.
   */
  @Benchmark
  public int loadAndLookUpAll() throws IOException {
    int unchanged = 0;
    try (ManifestSnapshot snapshot = index.manifestSnapshot()) {
      for (int i = 0; i < names.length; i++) {
        int slot = snapshot.slotOf(names[i]);
        if (slot >= 0 && snapshot.unchanged(slot, sizes[i], mtimes[i], Chunkers.VERSION, "")) {
          unchanged++;
        }
      }
    }
    if (unchanged != names.length) {
      throw new IllegalStateException(unchanged + " of " + names.length + " files found unchanged");
    }
    return unchanged;
  }
}
