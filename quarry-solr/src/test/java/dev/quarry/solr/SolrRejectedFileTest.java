package dev.quarry.solr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.check.CheckReport;
import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A document Solr refuses (a vector with NaN, which Lucene will not index) fails its file, not the
 * run: the files batched with it are stored, the refused one is reported with Solr's reason, its
 * new chunks are deleted, and the file's old version stays searchable.
 */
class SolrRejectedFileTest {
  private static final ModelIdentity FOUR_DIMENSIONS = SolrStoreContractTest.FOUR_DIMENSIONS;

  @Test
  void aRefusedFileFailsAloneAndKeepsItsOldVersion() throws Exception {
    String name = "rejected_" + ProcessHandle.current().pid();
    try (RemoteStore remote =
        new SolrStoreProvider().open(LocalSolrCloud.get().address(name, "shards=2"))) {
      try (IndexStore store =
          remote.openForWriting(List.of(Path.of("/t")), "test", FOUR_DIMENSIONS)) {
        store.writeFile(
            entry("/t/b.md", "old", 1), List.of(chunk("b.md", 0, "old bread", good())), true);
        store.commit(Map.of());
        assertThat(store.takeRejectedFiles()).isEmpty();

        for (int i = 0; i < 20; i++) {
          String file = "/t/doc" + i + ".md";
          store.writeFile(
              entry(file, "h" + i, 1),
              List.of(chunk("doc" + i + ".md", 0, "plain text " + i, good())),
              true);
        }
        float[] nan = {Float.NaN, 0, 0, 0};
        store.writeFile(
            entry("/t/b.md", "new", 2),
            List.of(chunk("b.md", 0, "new bread", good()), chunk("b.md", 1, "more", nan)),
            false);
        store.writeFile(entry("/t/c.md", "c", 1), List.of(chunk("c.md", 0, "cake", nan)), true);
        store.commit(Map.of());

        List<IndexStore.RejectedFile> rejected = store.takeRejectedFiles();
        assertThat(rejected)
            .extracting(IndexStore.RejectedFile::file)
            .containsExactlyInAnyOrder("/t/b.md", "/t/c.md");
        assertThat(rejected.get(0).path()).endsWith(".md");
        assertThat(rejected.get(0).cause()).isNotBlank();
        assertThat(store.takeRejectedFiles()).isEmpty();
      }
      List<String> files = new ArrayList<>();
      Quarry.files(remote, entry -> files.add(entry.file() + " " + entry.contentHash()));
      assertThat(files).hasSize(21).contains("/t/b.md old").doesNotContain("/t/c.md c");
      CheckReport check = Quarry.check(remote);
      assertThat(check.consistent()).as(check.problems().toString()).isTrue();
      assertThat(check.chunks()).isEqualTo(21); // the refused files' new chunks are gone
    }
  }

  private static float[] good() {
    return new float[] {0.5f, 0.5f, 0.5f, 0.5f};
  }

  private static ManifestEntry entry(String file, String contentHash, int chunks) {
    String path = file.substring("/t/".length());
    return new ManifestEntry(
        file, "/t", path, 10, 1000, "", contentHash, chunks, "text", "p1", "m1");
  }

  private static EmbeddedChunk chunk(String path, int ordinal, String text, float[] vector) {
    return new EmbeddedChunk(
        new Chunk(path, "text", ordinal, ordinal + 1, ordinal + 1, 0, "", text, path + ordinal),
        vector);
  }
}
