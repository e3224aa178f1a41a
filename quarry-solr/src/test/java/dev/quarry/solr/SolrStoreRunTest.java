package dev.quarry.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.Quarry;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.store.IndexLockedException;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarry's real pipeline into a collection of a real 2-node SolrCloud: index, search, an unchanged
 * rerun, an edit and a deletion, one writer per root, and a collection of another model refused.
 */
class SolrStoreRunTest {
  @TempDir Path tree;

  private RemoteStore collection(String name) throws IOException {
    return new SolrStoreProvider().open(LocalSolrCloud.get().address(name, "shards=2"));
  }

  private RunSummary index(RemoteStore store) throws Exception {
    IndexOptions options =
        IndexOptions.of(
            List.of(tree.toRealPath()),
            tree.resolve(".quarry"),
            ScanOptions.defaults(),
            false,
            Quarry.DEFAULT_MODEL);
    return Quarry.run(options).into(store).index();
  }

  private List<String> search(RemoteStore store, String query) throws IOException {
    try (Quarry.SearchSession session = Quarry.search(store).withModel(false).open()) {
      List<String> paths = new ArrayList<>();
      for (SearchHit hit :
          session.searcher().search(SearchRequest.of(query, 10, SearchMode.LEXICAL))) {
        paths.add(hit.path());
      }
      return paths;
    }
  }

  private List<String> files(RemoteStore store) throws IOException {
    List<String> files = new ArrayList<>();
    Quarry.files(store, entry -> files.add(entry.path() + " " + entry.contentHash()));
    return files;
  }

  @Test
  void indexesSearchesAndFollowsTheTree() throws Exception {
    Files.writeString(tree.resolve("rockets.md"), "# Rockets\n\nThe rocket engine burns fuel.\n");
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(
        tree.resolve("src/Pump.java"),
        "class FuelPump {\n  void pumpFuel() { /* moves fuel to the engine */ }\n}\n");
    Files.writeString(tree.resolve("notes.txt"), "gardening notes: tomatoes and basil\n");
    // A chunk without a single term (Solr parsed such a field's text as JSON and failed the batch).
    Files.writeString(tree.resolve("dots.txt"), "...\n");
    try (RemoteStore store = collection("run_tree")) {
      RunSummary first = index(store);
      assertThat(first.filesIndexed()).isEqualTo(4);
      assertThat(first.filesFailed()).isZero();
      assertThat(search(store, "fuel engine")).contains("rockets.md", "src/Pump.java");
      assertThat(search(store, "tomatoes")).containsExactly("notes.txt");
      assertThat(Quarry.status(store).files()).isEqualTo(4);

      RunSummary again = index(store);
      assertThat(again.filesUnchanged()).isEqualTo(4);
      assertThat(again.filesIndexed()).isZero();

      Files.writeString(tree.resolve("notes.txt"), "gardening notes: only basil now\n");
      Files.delete(tree.resolve("rockets.md"));
      RunSummary changed = index(store);
      assertThat(changed.filesIndexed()).isEqualTo(1);
      assertThat(changed.filesDeleted()).isEqualTo(1);
      assertThat(search(store, "tomatoes")).isEmpty();
      assertThat(search(store, "basil")).containsExactly("notes.txt");
      assertThat(search(store, "rocket")).doesNotContain("rockets.md");
      assertThat(files(store)).hasSize(3);
      assertThat(Quarry.status(store).chunks()).isEqualTo(3);
      assertThat(Quarry.runs(store)).hasSize(3);
    }
  }

  /**
   * Large batches to four shards: more request bodies streaming at once than SolrJ's own HTTP pool
   * has threads deadlocked the writes (each body's writer blocked on its pipe, nobody to read).
   */
  @Test
  @Timeout(180)
  void largeBatchesToManyShardsAtOnceDoNotDeadlock() throws Exception {
    String paragraph = "pumps move fuel to the engine through valves and pipes. ".repeat(60);
    for (int i = 0; i < 300; i++) {
      Files.writeString(
          tree.resolve("doc" + i + ".md"), ("# Doc " + i + "\n\n" + paragraph + "\n\n").repeat(6));
    }
    try (RemoteStore store =
        new SolrStoreProvider().open(LocalSolrCloud.get().address("run_wide", "shards=4"))) {
      RunSummary run = index(store);
      assertThat(run.filesIndexed()).isEqualTo(300);
      assertThat(Quarry.status(store).files()).isEqualTo(300);
    }
  }

  @Test
  void oneWriterPerRootAndAnotherModelIsRefused() throws Exception {
    Files.writeString(tree.resolve("a.txt"), "alpha\n");
    try (RemoteStore store = collection("run_lock")) {
      index(store);
      ModelIdentity model = dev.quarry.embed.EmbeddingModels.identityOf(Quarry.DEFAULT_MODEL);
      try (IndexStore writing = store.openForWriting(List.of(tree.toRealPath()), "index", model)) {
        assertThatThrownBy(() -> index(store))
            .isInstanceOf(IndexLockedException.class)
            .hasMessageContaining("being written by another Quarry run")
            .hasMessageContaining("pid " + ProcessHandle.current().pid());
        assertThat(store.liveWriter()).isPresent();
        assertThat(writing.lock().holder().pid()).isEqualTo(ProcessHandle.current().pid());
      }
      assertThat(store.liveWriter()).isEmpty();
      assertThatThrownBy(
              () ->
                  store.openForWriting(
                      List.of(tree.toRealPath()),
                      "index",
                      new ModelIdentity("other", "1", 384, 256, "mean", true)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds vectors of model '" + model.id() + "'")
          .hasMessageContaining("this run uses 'other@1");
    }
  }
}
