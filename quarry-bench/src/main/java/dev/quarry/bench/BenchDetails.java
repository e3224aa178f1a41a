package dev.quarry.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The informational numbers of a {@link BenchRun}: what each benchmark measured on (sizes, the
 * index, the model), pooled latency percentiles and the state of the machine. Never compared
 * between runs. Its JSON form (a history line's {@code details}) has the components in order; an
 * empty {@code Optional} is left out, and one missing when read (an older history) is empty.
 *
 * @param loadAverageAtStart the system load average when the run started (negative where unknown)
 * @param query the query benchmark's inputs and pooled latencies, when it ran
 * @param indexing the tree of the index and noop benchmarks, when either ran
 * @param embed the embedding benchmark's inputs, when it ran
 * @param otherProcessesCpuShare the share of all cores other processes used during the run, in [0,
 *     1], where measurable (Linux): figures measured with others taking a large share are not
 *     comparable with a quiet run's
 * @param runs samples per figure
 * @param seconds the run's wall time
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
  "loadAverageAtStart",
  "query",
  "indexing",
  "embed",
  "loadAverageAtEnd",
  "otherProcessesCpuShare",
  "runs",
  "seconds"
})
public record BenchDetails(
    double loadAverageAtStart,
    Optional<Query> query,
    Optional<Indexing> indexing,
    Optional<Embedding> embed,
    double loadAverageAtEnd,
    Optional<Double> otherProcessesCpuShare,
    int runs,
    double seconds) {

  public BenchDetails {
    // Jackson passes null for a property the file lacks.
    query = orEmpty(query);
    indexing = orEmpty(indexing);
    embed = orEmpty(embed);
    otherProcessesCpuShare = orEmpty(otherProcessesCpuShare);
  }

  /** No details: a run built by hand (tests), or read from a history line without them. */
  public static BenchDetails none() {
    return new BenchDetails(
        -1, Optional.empty(), Optional.empty(), Optional.empty(), -1, Optional.empty(), 0, 0);
  }

  /**
   * The query benchmark.
   *
   * @param index the index searched (absolute)
   * @param chunks chunks in it
   * @param querySet where the queries come from ({@link QuerySet#source()})
   * @param modes by mode name ("lexical", "semantic", "hybrid"), in the order measured
   * @param embedQuery the time to embed one query alone, when the index has a model
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  @JsonPropertyOrder({
    "index",
    "chunks",
    "querySet",
    "queries",
    "passes",
    "warmupPasses",
    "limit",
    "threads",
    "modes",
    "embedQuery"
  })
  public record Query(
      String index,
      long chunks,
      String querySet,
      int queries,
      int passes,
      int warmupPasses,
      int limit,
      int threads,
      Map<String, Mode> modes,
      Optional<LatencyStats> embedQuery) {
    public Query {
      Objects.requireNonNull(index, "index");
      modes =
          java.util.Collections.unmodifiableMap(
              new LinkedHashMap<>(modes == null ? Map.of() : modes));
      embedQuery = orEmpty(embedQuery);
    }
  }

  /**
   * One mode's latencies pooled over every query of every pass ({@link LatencyStats#rounded()}).
   *
   * @param searchOnly semantic and hybrid: the same with the query vector computed beforehand
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  @JsonPropertyOrder({"all", "searchOnly"})
  public record Mode(LatencyStats all, Optional<LatencyStats> searchOnly) {
    public Mode {
      Objects.requireNonNull(all, "all");
      searchOnly = orEmpty(searchOnly);
    }
  }

  /**
   * The tree of the index and noop benchmarks.
   *
   * @param tree its folder
   * @param chunks chunks in the last first index (the index benchmark only)
   * @param filesIndexed files of the last first index (the index benchmark only)
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  @JsonPropertyOrder({"tree", "files", "bytes", "chunks", "filesIndexed"})
  public record Indexing(
      String tree, int files, long bytes, Optional<Long> chunks, Optional<Long> filesIndexed) {
    public Indexing {
      Objects.requireNonNull(tree, "tree");
      chunks = orEmpty(chunks);
      filesIndexed = orEmpty(filesIndexed);
    }
  }

  /**
   * The embedding benchmark.
   *
   * @param model the model's identity
   * @param texts texts in the sample
   * @param threads the model's threads
   */
  @JsonPropertyOrder({"model", "texts", "wordsPerText", "threads"})
  public record Embedding(String model, int texts, int wordsPerText, int threads) {}

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }
}
