package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing behind 'quarry files': path order, whatever order and segments the files were written
 * in.
 */
class IndexInventoryTest {
  @TempDir Path dir;

  static ManifestEntry entry(String path, int chunks, String model) {
    String hash = String.format("%064x", path.hashCode() & 0xffffffffL);
    return new ManifestEntry(
        "/root/" + path,
        "/root",
        path,
        100 + path.length(),
        1_000,
        "",
        hash,
        chunks,
        path.endsWith(".md") ? "markdown" : "text",
        "p1",
        model);
  }

  static List<EmbeddedChunk> chunks(ManifestEntry entry, boolean vectors) {
    return IntStream.range(0, entry.chunkCount())
        .mapToObj(
            i ->
                new EmbeddedChunk(
                    new Chunk(
                        entry.path(),
                        entry.language(),
                        i,
                        i + 1,
                        i + 1,
                        0,
                        "",
                        "text " + i,
                        entry.path() + "#" + i),
                    vectors ? new float[] {1, 0, 0, 0} : null))
        .toList();
  }

  private static List<ManifestEntry> list(QuarryIndex index) throws IOException {
    List<ManifestEntry> listed = new ArrayList<>();
    long visited = IndexInventory.forEachFile(index, listed::add);
    assertThat(visited).isEqualTo(listed.size());
    return listed;
  }

  @Test
  void listsEveryFileInPathOrderWhateverOrderAndSegmentTheyWereWrittenIn() throws IOException {
    ManifestEntry z = entry("z.txt", 2, "");
    ManifestEntry mb = entry("m/b.md", 1, "");
    ManifestEntry a = entry("a.txt", 3, "");
    ManifestEntry ma = entry("m/a.txt", 1, "");
    ManifestEntry b = entry("b.txt", 0, "");
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      // Written backwards within one segment, so listing reads that segment's columns backwards.
      for (ManifestEntry e : List.of(z, mb, a)) {
        index.writeFile(e, chunks(e, false), true);
      }
      index.commit(Map.of());
      for (ManifestEntry e : List.of(ma, b)) {
        index.writeFile(e, chunks(e, false), true);
      }
      index.commit(Map.of());
      // Rewritten entries move to a later segment; their earlier documents are deleted, not gone.
      z = z.withStat(999, 2_000, "inode");
      index.updateManifest(z);
      a = a.withModel("model-1");
      index.writeFile(a, chunks(a, true), false);
      index.commit(Map.of());
    }
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      assertThat(list(index)).containsExactly(a, b, ma, mb, z);
    }
  }

  @Test
  void filesUnderADirectoryAreThoseOfItsPrefixOnlyAndNotDeletedOnes() throws IOException {
    List<String> paths =
        List.of("m.txt", "m/a.txt", "m/sub/b.txt", "m-x/c.txt", "mz.txt", "n/d.txt");
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      for (String path : paths) {
        ManifestEntry e = entry(path, 1, "");
        index.writeFile(e, chunks(e, false), true);
      }
      index.commit(Map.of());
      index.deleteFile("/root/m/sub/b.txt");
      index.commit(Map.of());
    }
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      assertThat(IndexInventory.filesUnder(index, "/root/m/")).containsExactly("/root/m/a.txt");
      assertThat(IndexInventory.filesUnder(index, "/root/n/")).containsExactly("/root/n/d.txt");
      assertThat(IndexInventory.filesUnder(index, "/root/zz/")).isEmpty();
      assertThat(IndexInventory.filesUnder(index, "/other/")).isEmpty();
    }
  }

  @Test
  void listsMoreFilesThanABatchInShuffledSegments() throws IOException {
    long seed = 20_251_123L;
    int n = 2 * ManifestCursor.BATCH + 100;
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(
          entry(String.format("d%02d/f%05d.txt", i % 37, i), i % 3, i % 2 == 0 ? "" : "model-1"));
    }
    List<ManifestEntry> written = new ArrayList<>(entries);
    Collections.shuffle(written, new Random(seed));
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      for (int i = 0; i < n; i++) {
        index.writeFile(
            written.get(i), chunks(written.get(i), written.get(i).model().isEmpty()), true);
        if (i % 3_000 == 2_999) {
          index.commit(Map.of()); // several segments, each in shuffled order
        }
      }
      index.commit(Map.of());
    }
    entries.sort(Comparator.comparing(ManifestEntry::file));
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      assertThat(list(index)).as("seed %d", seed).isEqualTo(entries);
    }
  }

  @Test
  void orderIsByCodePointNotByUtf16() throws IOException {
    // U+1F600 is a surrogate pair in UTF-16, which String.compareTo puts before U+FFFD; by code
    // point (and by UTF-8 bytes, the order of Lucene's terms) it comes after.
    ManifestEntry bmp = entry("\uFFFD.txt", 1, "");
    ManifestEntry astral = entry("\uD83D\uDE00.txt", 1, "");
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      index.writeFile(astral, chunks(astral, false), true);
      index.writeFile(bmp, chunks(bmp, false), true);
      index.commit(Map.of());
    }
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      assertThat(list(index)).containsExactly(bmp, astral);
    }
  }

  @Test
  void anEmptyIndexListsNothing() throws IOException {
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      index.commit(Map.of());
    }
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      assertThat(list(index)).isEmpty();
    }
  }
}
