package dev.quarry.bench;

import dev.quarry.Quarry;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Single-threaded query latency over an index opened for search, through the same {@link Searcher}
 * the CLI uses: query analysis, the Lucene search, stored fields, snippets and the staleness check
 * of each hit, all inside the timing ({@link System#nanoTime}).
 *
 * <p>Each pass asks every query once in a shuffled order (seeded per pass), and for each query runs
 * every mode back to back, so machine noise falls on all modes alike. Semantic and hybrid latencies
 * include embedding the query with the in-process model, as a user meets them; the same modes are
 * also timed with the query's vector computed beforehand (the search alone), and the embedding
 * alone. Warm-up passes run first and are not recorded (JIT, page cache, Lucene's query cache).
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class QueryLatencyBenchmark {
  private final Quarry.SearchSession session;
  private final PrecomputedQueryVectors vectors; // null without a model
  private final Searcher searchOnly; // null without a model

  /** A sink for results, so the JIT cannot drop a search whose hits nobody reads. */
  private long hitsSeen;

  /**
   * @param session an open index; semantic and hybrid are measured when it has a model
   * @param ranking the ranking the session's searcher was opened with
   */
  public QueryLatencyBenchmark(Quarry.SearchSession session, Ranking ranking) throws IOException {
    this.session = session;
    this.vectors = session.hasModel() ? new PrecomputedQueryVectors(session.model()) : null;
    this.searchOnly = vectors == null ? null : new Searcher(session.index(), vectors, ranking);
  }

  /**
   * @param limit hits per query (the CLI's default is 10)
   * @param warmupPasses passes over the queries before measuring
   * @param passes measured passes: each gives one sample of each percentile
   * @param seed seeds the order of the queries in each pass
   */
  public record Options(int limit, int warmupPasses, int passes, long seed) {
    public Options {
      if (limit < 1 || warmupPasses < 0 || passes < 1) {
        throw new IllegalArgumentException(
            "need limit >= 1, warmupPasses >= 0, passes >= 1; got "
                + limit
                + ", "
                + warmupPasses
                + ", "
                + passes);
      }
    }
  }

  /**
   * The latencies of one mode.
   *
   * @param perPass the stats of each measured pass, in order (the repeated samples)
   * @param all the stats of every query of every pass pooled
   * @param searchOnly semantic and hybrid: the same with the query vector computed beforehand
   */
  public record ModeLatency(
      SearchMode mode,
      List<LatencyStats> perPass,
      LatencyStats all,
      Optional<LatencyStats> searchOnly) {
    public ModeLatency {
      perPass = List.copyOf(perPass);
    }

    public String name() {
      return mode.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param modes lexical, then semantic and hybrid when the index has a model
   * @param embedding the time to embed one query alone, when the index has a model
   */
  public record Result(
      QuerySet queries,
      Options options,
      List<ModeLatency> modes,
      Optional<LatencyStats> embedding) {
    public Result {
      modes = List.copyOf(modes);
    }
  }

  /** The modes this session can answer: lexical, plus semantic and hybrid with a model. */
  public List<SearchMode> modes() {
    return session.hasModel()
        ? List.of(SearchMode.LEXICAL, SearchMode.SEMANTIC, SearchMode.HYBRID)
        : List.of(SearchMode.LEXICAL);
  }

  public Result run(QuerySet queries, Options options) throws IOException {
    List<SearchMode> modes = modes();
    int n = queries.size();
    if (vectors != null) {
      for (String q : queries.queries()) {
        vectors.embedQuery(q); // so that no timing of the search alone includes the model
      }
    }
    for (int pass = 0; pass < options.warmupPasses(); pass++) {
      runPass(queries, options, new Random(options.seed() - 1 - pass), null);
    }
    Map<SearchMode, List<LatencyStats>> perPass = new EnumMap<>(SearchMode.class);
    Map<SearchMode, long[]> all = new EnumMap<>(SearchMode.class);
    Map<SearchMode, long[]> allSearchOnly = new EnumMap<>(SearchMode.class);
    long[] allEmbedding = new long[n * options.passes()];
    for (SearchMode m : modes) {
      perPass.put(m, new ArrayList<>());
      all.put(m, new long[n * options.passes()]);
      allSearchOnly.put(m, new long[n * options.passes()]);
    }
    for (int pass = 0; pass < options.passes(); pass++) {
      Timings t = new Timings(n);
      runPass(queries, options, new Random(options.seed() + pass), t);
      for (SearchMode m : modes) {
        perPass.get(m).add(LatencyStats.ofNanos(t.total.get(m)));
        System.arraycopy(t.total.get(m), 0, all.get(m), pass * n, n);
        System.arraycopy(t.searchOnly.get(m), 0, allSearchOnly.get(m), pass * n, n);
      }
      System.arraycopy(t.embedding, 0, allEmbedding, pass * n, n);
    }
    List<ModeLatency> results = new ArrayList<>();
    for (SearchMode m : modes) {
      Optional<LatencyStats> searchOnlyStats =
          m == SearchMode.LEXICAL
              ? Optional.empty()
              : Optional.of(LatencyStats.ofNanos(allSearchOnly.get(m)));
      results.add(
          new ModeLatency(m, perPass.get(m), LatencyStats.ofNanos(all.get(m)), searchOnlyStats));
    }
    Optional<LatencyStats> embedding =
        searchOnly == null ? Optional.empty() : Optional.of(LatencyStats.ofNanos(allEmbedding));
    if (hitsSeen < 0) {
      throw new AssertionError("unreachable"); // reads the sink
    }
    return new Result(queries, options, results, embedding);
  }

  /**
   * Nanoseconds per query of one pass, indexed like the query set (not like the shuffled order).
   */
  private static final class Timings {
    final Map<SearchMode, long[]> total = new EnumMap<>(SearchMode.class);
    final Map<SearchMode, long[]> searchOnly = new EnumMap<>(SearchMode.class);
    final long[] embedding;

    Timings(int n) {
      for (SearchMode m : SearchMode.values()) {
        total.put(m, new long[n]);
        searchOnly.put(m, new long[n]);
      }
      embedding = new long[n];
    }
  }

  /**
   * Asks every query once in every mode; records into {@code timings} unless it is null (warm-up).
   */
  private void runPass(QuerySet queries, Options options, Random random, Timings timings)
      throws IOException {
    List<Integer> order = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    Searcher full = session.searcher();
    for (int i : order) {
      String query = queries.queries().get(i);
      for (SearchMode mode : modes()) {
        SearchRequest request = SearchRequest.of(query, options.limit(), mode);
        long t0 = System.nanoTime();
        hitsSeen += full.search(request).size();
        long t1 = System.nanoTime();
        if (timings != null) {
          timings.total.get(mode)[i] = t1 - t0;
        }
        if (mode != SearchMode.LEXICAL) {
          t0 = System.nanoTime();
          hitsSeen += searchOnly.search(request).size();
          t1 = System.nanoTime();
          if (timings != null) {
            timings.searchOnly.get(mode)[i] = t1 - t0;
          }
        }
      }
      if (searchOnly != null) {
        long t0 = System.nanoTime();
        hitsSeen += session.model().embedQuery(query).length;
        long t1 = System.nanoTime();
        if (timings != null) {
          timings.embedding[i] = t1 - t0;
        }
      }
    }
  }
}
