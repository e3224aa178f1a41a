package dev.quarry.bench.peer;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.eval.BeirDataset;
import dev.quarry.eval.BeirEvaluation;
import dev.quarry.eval.RetrievalMetrics;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.store.RemoteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The SolrCloud store against the embedded index, on the same SciFact documents in the same run:
 * first-index throughput (lexical, and with every vector from the disk cache), nDCG@10 of each mode
 * on both and the mean overlap of their top-10 documents, and query latency p50/p99 per mode with
 * the two stores' queries interleaved. Usage (bench/solr-store.sh runs it): java ...
 * dev.quarry.bench.peer.StoreParity BEIR_DIR WORK_DIR solr:http://HOST:PORT/solr/NAME [RUNS]
 */
public final class StoreParity {
  private StoreParity() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path work = Path.of(args[1]);
    String solr = args[2];
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    BeirEvaluation evaluation = new BeirEvaluation(new BeirDataset(data), "md");
    Path docs = work.resolve("docs");
    evaluation.writeDocuments(docs);
    QuarryConfig config = QuarryConfig.load(System.getenv());
    // Every vector in the disk cache before the timings (minutes the first time on a machine).
    Quarry.run(config.indexOptions(List.of(docs.toRealPath()), work.resolve("warm"), true)).index();

    System.out.println("== first index, from scratch (same documents, same process)");
    for (boolean embed : new boolean[] {false, true}) {
      String kind = embed ? "vectors from the disk cache" : "lexical";
      Path dir = work.resolve(embed ? "embedded" : "embedded-lexical");
      deleteTree(dir);
      IndexOptions options = config.indexOptions(List.of(docs.toRealPath()), dir, embed);
      report("embedded", kind, timed(options, a -> a));
      try (RemoteStore store = Quarry.remoteStore(embed ? solr : renamed(solr, "_lexical"))) {
        report("solr", kind, timed(options, a -> a.into(store)));
      }
    }

    Map<String, String> queries = new BeirDataset(data).queries();
    Map<String, Map<String, Integer>> qrels = new BeirDataset(data).qrels("test");
    List<String> judged = new ArrayList<>(qrels.keySet());
    try (RemoteStore store = Quarry.remoteStore(solr);
        Quarry.SearchSession embedded =
            Quarry.search(work.resolve("embedded")).ranking(BeirEvaluation.ranking()).open();
        Quarry.SearchSession remote =
            Quarry.search(store).ranking(BeirEvaluation.ranking()).open()) {
      System.out.println("== quality: " + judged.size() + " judged test queries");
      for (SearchMode mode : SearchMode.values()) {
        double ndcgEmbedded = 0;
        double ndcgSolr = 0;
        double overlap = 0;
        for (String id : judged) {
          String text = queries.get(id);
          List<String> a = BeirEvaluation.rankDocuments(embedded.searcher(), text, mode);
          List<String> b = BeirEvaluation.rankDocuments(remote.searcher(), text, mode);
          ndcgEmbedded += RetrievalMetrics.ndcgAt(10, a, qrels.get(id));
          ndcgSolr += RetrievalMetrics.ndcgAt(10, b, qrels.get(id));
          Set<String> top = new HashSet<>(a.subList(0, Math.min(10, a.size())));
          top.retainAll(b.subList(0, Math.min(10, b.size())));
          overlap += top.size() / (double) Math.max(1, Math.min(10, a.size()));
        }
        int n = judged.size();
        System.out.printf(
            "%-8s nDCG@10 embedded %.4f, solr %.4f, difference %+.4f; mean top-10 overlap %.3f%n",
            mode.name().toLowerCase(java.util.Locale.ROOT),
            ndcgEmbedded / n,
            ndcgSolr / n,
            (ndcgSolr - ndcgEmbedded) / n,
            overlap / n);
      }
    }
    // Latency as users see it: the default ranking (the evaluation's fuses 300 candidates a leg).
    try (RemoteStore store = Quarry.remoteStore(solr);
        Quarry.SearchSession embedded = Quarry.search(work.resolve("embedded")).open();
        Quarry.SearchSession remote = Quarry.search(store).open()) {
      System.out.println(
          "== query latency, default ranking, k=10, "
              + runs
              + " rounds of the "
              + judged.size()
              + " queries, the two stores interleaved");
      for (SearchMode mode : SearchMode.values()) {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (int round = 0; round < runs; round++) {
          for (String id : judged) {
            SearchRequest request = SearchRequest.of(queries.get(id), 10, mode);
            long start = System.nanoTime();
            embedded.searcher().search(request);
            long middle = System.nanoTime();
            remote.searcher().search(request);
            long end = System.nanoTime();
            a.add(middle - start);
            b.add(end - middle);
          }
        }
        System.out.printf(
            "%-8s embedded p50 %.2f ms p99 %.2f ms; solr p50 %.2f ms p99 %.2f ms (%.1fx at p50)%n",
            mode.name().toLowerCase(java.util.Locale.ROOT),
            percentile(a, 50),
            percentile(a, 99),
            percentile(b, 50),
            percentile(b, 99),
            percentile(b, 50) / percentile(a, 50));
      }
    }
  }

  private static RunSummary timed(IndexOptions options, UnaryOperator<RunAssembler> store)
      throws Exception {
    return store.apply(Quarry.run(options)).index();
  }

  private static void report(String store, String kind, RunSummary run) {
    System.out.printf(
        "%-8s %-28s %,d files, %,d chunks in %.1f s: %,.0f chunks/s%n",
        store,
        kind,
        run.filesIndexed(),
        run.chunksWritten(),
        run.wallSeconds(),
        run.chunksWritten() / run.wallSeconds());
  }

  /** The address of another collection: {@code suffix} added to the collection's name. */
  private static String renamed(String address, String suffix) {
    int query = address.indexOf('?');
    return query < 0
        ? address + suffix
        : address.substring(0, query) + suffix + address.substring(query);
  }

  private static double percentile(List<Long> nanos, int p) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }
}
