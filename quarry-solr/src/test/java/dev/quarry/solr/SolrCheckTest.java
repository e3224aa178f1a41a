package dev.quarry.solr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.Quarry;
import dev.quarry.check.CheckReport;
import dev.quarry.check.IndexProblem;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.store.RemoteStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry check} of a collection: a sound one is consistent; chunk documents a killed run
 * left beside a file's live version, and a live version short of a chunk, are each found and named.
 */
class SolrCheckTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tree;

  @Test
  void findsLeftoversAndMissingChunksOfACollection() throws Exception {
    Files.writeString(tree.resolve("rockets.md"), "# Rockets\n\nThe rocket engine burns fuel.\n");
    Files.writeString(tree.resolve("notes.txt"), "gardening notes: tomatoes and basil\n");
    Files.writeString(tree.resolve("soup.txt"), "tomato soup with basil\n");
    String collection = "checked_" + ProcessHandle.current().pid();
    try (RemoteStore store =
        new SolrStoreProvider().open(LocalSolrCloud.get().address(collection, "shards=2"))) {
      index(store);
      CheckReport sound = Quarry.check(store);
      assertThat(sound.consistent()).as(sound.problems().toString()).isTrue();
      assertThat(sound.files()).isEqualTo(3);
      assertThat(sound.chunks()).isEqualTo(3);
      assertThat(sound.depth()).isNull();
      assertThat(sound.roots()).containsExactly(tree.toRealPath().toString());

      String rockets = tree.toRealPath().resolve("rockets.md").toString();
      String notes = tree.toRealPath().resolve("notes.txt").toString();
      // What a run killed between writing a file's new chunks and its manifest entry leaves.
      Map<String, Object> leftover = new HashMap<>();
      leftover.put("id", SolrDocuments.chunkId(rockets, "killed", 0));
      leftover.put("kind", SolrDocuments.KIND_CHUNK);
      leftover.put("fver", SolrDocuments.fileVersion(rockets, "killed"));
      leftover.put("file", rockets);
      leftover.put("root", tree.toRealPath().toString());
      leftover.put("path", "rockets.md");
      leftover.put("ordinal", 0);
      leftover.put("has_vector", false);
      update(collection, Map.of("add", Map.of("doc", leftover)));
      // A live version short of its one chunk.
      update(
          collection,
          Map.of(
              "delete",
              Map.of("query", "kind:" + SolrDocuments.KIND_CHUNK + " AND file:\"" + notes + "\"")));

      CheckReport found = Quarry.check(store);
      assertThat(found.consistent()).isFalse();
      assertThat(found.inconsistentFiles()).isEqualTo(2);
      assertThat(found.problemsByKind())
          .containsExactly(
              Map.entry(IndexProblem.Kind.ORPHAN_CHUNKS, 1L),
              Map.entry(IndexProblem.Kind.CHUNK_COUNT, 1L));
      assertThat(found.problems())
          .extracting(IndexProblem::file, IndexProblem::detail)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  notes, "0 chunk documents, the manifest says 1 (ordinal 0 missing)"),
              org.assertj.core.groups.Tuple.tuple(
                  rockets,
                  "1 chunk document of another version than the manifest entry's (a stopped"
                      + " run's, never searched; the next run of its roots deletes them)"));
      assertThat(found.files()).isEqualTo(3);
      assertThat(found.chunks()).isEqualTo(3); // one gone, one left over

      // The repair removes both files whole; the next run indexes them again as new files.
      assertThat(Quarry.repair(store)).isEqualTo(2);
      CheckReport repaired = Quarry.check(store);
      assertThat(repaired.consistent()).as(repaired.problems().toString()).isTrue();
      assertThat(repaired.files()).isEqualTo(1);
      RunSummary rerun = index(store);
      assertThat(rerun.filesIndexed()).isEqualTo(2);
      assertThat(rerun.filesUnchanged()).isEqualTo(1);
      CheckReport again = Quarry.check(store);
      assertThat(again.consistent()).isTrue();
      assertThat(again.files()).isEqualTo(3);
      assertThat(again.chunks()).isEqualTo(3);
    }
  }

  private RunSummary index(RemoteStore store) throws Exception {
    return Quarry.run(
            IndexOptions.of(
                List.of(tree.toRealPath()),
                tree.resolve(".quarry"),
                ScanOptions.defaults(),
                false,
                Quarry.DEFAULT_MODEL))
        .into(store)
        .index();
  }

  /** Sends a JSON update to the collection and commits it. */
  private static void update(String collection, Map<String, Object> command) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        LocalSolrCloud.get().solrUrl() + "/" + collection + "/update?commit=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(command)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
