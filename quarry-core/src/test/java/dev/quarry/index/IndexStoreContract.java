package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.store.ChunkQuery;
import dev.quarry.store.IndexStore;
import dev.quarry.store.SearchableStore;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store must do for the pipeline and the searcher: the contract of {@link IndexStore}
 * and {@link SearchableStore}. Each store's test extends this with a real store (the embedded
 * Lucene index here; a SolrCloud collection in its own module).
 */
public abstract class IndexStoreContract {
  @TempDir protected Path dir;

  /**
   * Opens (creating) a store for writing in {@code location} (a new store for each location), its
   * files under the root {@code /t}, with 4-dimensional unit vectors.
   */
  protected abstract IndexStore openForWriting(Path location) throws IOException;

  /** Makes what the last commit holds visible to new views (a store may be eventual). */
  protected void awaitVisible(IndexStore store) throws IOException {}

  /**
   * Whether a view keeps reading the commit it was taken from while later commits land (the
   * embedded index's does; a remote engine's may not be able to hold a commit across requests).
   */
  protected boolean viewsPinACommit() {
    return true;
  }

  private static final float[] NORTH = unit(1, 0, 0, 0);
  private static final float[] EAST = unit(0, 1, 0, 0);

  @Test
  void aFileWrittenIsInvisibleUntilCommittedThenWholeWithItsManifestEntry() throws IOException {
    try (IndexStore store = openForWriting(dir.resolve("s"))) {
      store.writeFile(
          entry("/t/a.txt", "h1", 2),
          List.of(
              chunk("a.txt", 0, "rocket engine", "c1", NORTH),
              chunk("a.txt", 1, "fuel pump", "c2", EAST)),
          true);
      assertThat(store.hasUncommittedChanges()).isTrue();
      try (ManifestSnapshot manifest = store.manifestSnapshot()) {
        assertThat(manifest.slotOf("/t/a.txt")).as("before the commit").isEqualTo(-1);
      }
      store.commit(Map.of("quarry.test", "1"));
      awaitVisible(store);
      assertThat(store.hasUncommittedChanges()).isFalse();
      assertThat(store.commitData()).containsEntry("quarry.test", "1");
      try (ManifestSnapshot manifest = store.manifestSnapshot()) {
        int slot = manifest.slotOf("/t/a.txt");
        assertThat(slot).isGreaterThanOrEqualTo(0);
        assertThat(manifest.entry(slot)).isEqualTo(entry("/t/a.txt", "h1", 2));
        assertThat(manifest.unchanged(slot, 10, 1000, "p1", "m1")).isTrue();
        assertThat(manifest.unchanged(slot, 11, 1000, "p1", "m1")).isFalse();
      }
      assertThat(store.stats().files()).isEqualTo(1);
      assertThat(store.stats().chunks()).isEqualTo(2);
      assertThat(store.storedVector("c2"))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(EAST));
      assertThat(store.storedVector("nope")).isEmpty();
    }
  }

  @Test
  void rewritingAFileReplacesItAndAWriteRepeatedConverges() throws IOException {
    try (IndexStore store = openForWriting(dir.resolve("s"))) {
      store.writeFile(
          entry("/t/a.txt", "h1", 2),
          List.of(
              chunk("a.txt", 0, "rocket engine", "c1", null),
              chunk("a.txt", 1, "fuel pump", "c2", null)),
          true);
      store.commit(Map.of());
      // The same file again, now one chunk with a vector, written twice (a retried batch).
      for (int i = 0; i < 2; i++) {
        store.writeFile(
            entry("/t/a.txt", "h2", 1),
            List.of(chunk("a.txt", 0, "rocket nozzle", "c3", NORTH)),
            false);
      }
      store.commit(Map.of());
      awaitVisible(store);
      assertThat(store.stats().files()).isEqualTo(1);
      assertThat(store.stats().chunks()).isEqualTo(1);
      assertThat(store.stats().vectors()).isEqualTo(1);
      try (StoreView view = store.view()) {
        assertThat(texts(view, view.lexical(query("rocket"), 10))).containsExactly("rocket nozzle");
        assertThat(view.lexical(query("pump"), 10)).isEmpty();
      }
    }
  }

  @Test
  void aStatChangeAndADeletionTouchOnlyWhatTheyName() throws IOException {
    try (IndexStore store = openForWriting(dir.resolve("s"))) {
      store.writeFile(
          entry("/t/a.txt", "h1", 1), List.of(chunk("a.txt", 0, "alpha", "c1", null)), true);
      store.writeFile(
          entry("/t/b.txt", "h2", 1), List.of(chunk("b.txt", 0, "beta", "c2", null)), true);
      store.commit(Map.of());
      store.updateManifest(entry("/t/a.txt", "h1", 1).withStat(10, 2000, ""));
      store.deleteFile("/t/b.txt");
      store.commit(Map.of());
      awaitVisible(store);
      try (ManifestSnapshot manifest = store.manifestSnapshot()) {
        assertThat(manifest.size()).isEqualTo(1);
        assertThat(manifest.entry(manifest.slotOf("/t/a.txt")).mtimeMillis()).isEqualTo(2000);
      }
      try (StoreView view = store.view()) {
        assertThat(texts(view, view.lexical(query("alpha"), 10))).containsExactly("alpha");
        assertThat(view.lexical(query("beta"), 10)).isEmpty();
        assertThat(view.manifestStat("/t/a.txt")).isEqualTo(new StoreView.ManifestStat(10, 2000));
        assertThat(view.manifestStat("/t/b.txt")).isNull();
      }
    }
  }

  @Test
  void aViewAnswersBothLegsFromOneCommitAndFilters() throws IOException {
    try (IndexStore store = openForWriting(dir.resolve("s"))) {
      store.writeFile(
          entry("/t/src/a.java", "h1", 2),
          List.of(
              chunk("src/a.java", 0, "rocket engine", "c1", NORTH),
              chunk("src/a.java", 1, "rocket fuel", "c2", EAST)),
          true);
      store.writeFile(
          entry("/t/docs/b.md", "h2", 1),
          List.of(chunk("docs/b.md", 0, "rocket manual", "c3", EAST)),
          true);
      store.commit(Map.of());
      awaitVisible(store);
      try (StoreView view = store.view()) {
        List<StoreView.ScoredChunk> nearest = view.nearest(NORTH, query(), 3);
        assertThat(texts(view, nearest)).first().isEqualTo("rocket engine");
        assertThat(nearest.get(0).score())
            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        // Fusion joins the legs by reference: a chunk both find must have one.
        assertThat(nearest.get(0).ref())
            .as("one chunk, one reference in both legs")
            .isEqualTo(view.lexical(query("engin"), 1).get(0).ref()); // "engine", stemmed
        ChunkQuery underSrc =
            new ChunkQuery(
                Set.of("rocket"), 1f, 1f, 1.2f, 0.75f, Optional.of("src/.*"), Optional.empty());
        assertThat(texts(view, view.lexical(underSrc, 10)))
            .containsExactlyInAnyOrder("rocket engine", "rocket fuel");
        StoredChunk chunk = view.chunk(view.lexical(query("manual"), 1).get(0).ref());
        assertThat(chunk)
            .isEqualTo(
                new StoredChunk("/t/docs/b.md", "docs/b.md", "text", 1, 1, 0, "", "rocket manual"));
        List<String> vectors = new ArrayList<>();
        view.forEachVector((hash, vector) -> vectors.add(hash));
        assertThat(vectors).containsExactlyInAnyOrder("c1", "c2", "c3");
        if (viewsPinACommit()) {
          // A commit after the view was taken does not change what the view sees.
          store.deleteFile("/t/docs/b.md");
          store.commit(Map.of());
          assertThat(texts(view, view.lexical(query("manual"), 10)))
              .containsExactly("rocket manual");
        }
      }
    }
  }

  private static List<String> texts(StoreView view, List<StoreView.ScoredChunk> hits)
      throws IOException {
    List<String> texts = new ArrayList<>();
    for (StoreView.ScoredChunk hit : hits) {
      texts.add(view.chunk(hit.ref()).text());
    }
    return texts;
  }

  private static ChunkQuery query(String... terms) {
    return new ChunkQuery(Set.of(terms), 1f, 1f, 1.2f, 0.75f, Optional.empty(), Optional.empty());
  }

  private static ManifestEntry entry(String file, String contentHash, int chunks) {
    String path = file.substring("/t/".length());
    return new ManifestEntry(
        file, "/t", path, 10, 1000, "", contentHash, chunks, "text", "p1", "m1");
  }

  private static EmbeddedChunk chunk(
      String path, int ordinal, String text, String hash, float[] vector) {
    return new EmbeddedChunk(
        new Chunk(path, "text", ordinal, ordinal + 1, ordinal + 1, 0, "", text, hash), vector);
  }

  private static float[] unit(float... v) {
    return v;
  }
}
