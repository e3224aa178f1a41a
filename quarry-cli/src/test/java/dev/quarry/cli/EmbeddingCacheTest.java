package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk embedding cache, end to end: an index deleted (or built elsewhere on the machine) costs
 * no embedding the second time, an edit costs only its new chunks, and a disabled cache costs all.
 */
class EmbeddingCacheTest {
  @TempDir Path work;
  final ObjectMapper json = new ObjectMapper();

  private JsonNode index(Path tree, Path index, String cache) throws Exception {
    QuarryCliTest.Run run =
        QuarryCliTest.quarry(
            "index", tree.toString(), "--index", index.toString(), "--json", "--cache-dir", cache);
    assertThat(run.exit()).as(run.err()).isZero();
    return json.readTree(run.out());
  }

  private static JsonNode tier(JsonNode summary, String name) {
    for (JsonNode tier : summary.path("cache")) {
      if (tier.path("tier").asText().equals(name)) {
        return tier;
      }
    }
    throw new AssertionError("no tier " + name + " in " + summary.path("cache"));
  }

  @Test
  void aSecondIndexOfTheTreeEmbedsNothingAndAnEditOnlyItsNewChunks() throws Exception {
    Path tree = work.resolve("tree");
    TestTrees.mixed(tree, 40, 7);
    String cache = work.resolve("cache").toString();

    JsonNode first = index(tree, work.resolve("first"), cache);
    long distinct = first.at("/chunks/embedded").asLong();
    assertThat(distinct).isPositive();
    assertThat(tier(first, "disk").path("hits").asLong()).isZero();
    assertThat(tier(first, "disk").path("writes").asLong()).isEqualTo(distinct);

    // The index is gone (deleted, another branch's, another project's copy): the cache is not.
    JsonNode second = index(tree, work.resolve("second"), cache);
    assertThat(second.at("/chunks/embedded").asLong()).isZero();
    assertThat(second.at("/chunks/total").asLong()).isEqualTo(first.at("/chunks/total").asLong());
    assertThat(tier(second, "disk").path("hitRate").asDouble()).isEqualTo(1.0);

    // One file edited: only its new chunks go to the model.
    Path edited = tree.resolve("pkg1/part1/doc1.md");
    Files.writeString(
        edited, Files.readString(edited) + "\n## Appendix\n\nA new section about telescopes.\n");
    JsonNode third = index(tree, work.resolve("third"), cache);
    assertThat(third.at("/chunks/embedded").asLong()).isBetween(1L, 3L);

    // quarry cache stats sees the vectors; warm fills another cache from an index.
    QuarryCliTest.Run stats =
        QuarryCliTest.quarry("cache", "stats", "--cache-dir", cache, "--json");
    assertThat(stats.exit()).as(stats.err()).isZero();
    JsonNode statsJson = json.readTree(stats.out());
    long cached = 0;
    for (JsonNode count : statsJson.path("entriesByModel")) {
      cached += count.asLong();
    }
    assertThat(cached).isGreaterThan(distinct);
    String other = work.resolve("other-cache").toString();
    QuarryCliTest.Run warm =
        QuarryCliTest.quarry(
            "cache", "warm", "--cache-dir", other, "--index", work.resolve("second").toString());
    assertThat(warm.exit()).as(warm.err()).isZero();
    assertThat(warm.out()).contains("stored " + second.at("/chunks/total").asLong() + " vectors");
    assertThat(index(tree, work.resolve("from-warmed"), other).at("/chunks/embedded").asLong())
        .isBetween(1L, 3L);
    QuarryCliTest.Run prune =
        QuarryCliTest.quarry("cache", "prune", "--cache-dir", other, "--max-size", "1KiB");
    assertThat(prune.exit()).as(prune.err()).isZero();
    assertThat(index(tree, work.resolve("after-prune"), other).at("/chunks/embedded").asLong())
        .isGreaterThanOrEqualTo(distinct);

    // Without the disk cache, everything is embedded again.
    JsonNode uncached = index(tree, work.resolve("uncached"), "off");
    assertThat(uncached.at("/chunks/embedded").asLong()).isGreaterThanOrEqualTo(distinct);
    assertThat(uncached.path("cache").size()).isEqualTo(1); // memory only
  }
}
