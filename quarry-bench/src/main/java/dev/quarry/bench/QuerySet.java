package dev.quarry.bench;

import dev.quarry.eval.BeirDataset;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.BytesRef;

/**
 * The queries a latency benchmark asks, with where they came from.
 *
 * @param source a description of the origin ("beir:scifact/test", "terms:seed=42"), part of a
 *     benchmark's configuration
 * @param queries non-blank query texts, in a fixed order
 */
public record QuerySet(String source, List<String> queries) {

  public QuerySet {
    Objects.requireNonNull(source, "source");
    queries = List.copyOf(queries);
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("query set '" + source + "' is empty");
    }
    for (String q : queries) {
      if (q.isBlank()) {
        throw new IllegalArgumentException("query set '" + source + "' holds a blank query");
      }
    }
  }

  public int size() {
    return queries.size();
  }

  /** The judged queries of a BEIR split ({@code qrels/SPLIT.tsv}), in qrels order. */
  public static QuerySet fromBeir(Path dataDir, String split) throws IOException {
    BeirDataset dataset = new BeirDataset(dataDir);
    Map<String, String> texts = dataset.queries();
    List<String> queries = new ArrayList<>();
    for (String id : dataset.qrels(split).keySet()) {
      String text = texts.get(id);
      if (text != null && !text.isBlank()) {
        queries.add(text);
      }
    }
    return new QuerySet("beir:" + dataDir.getFileName() + "/" + split, queries);
  }

  /**
   * {@code count} queries of 1 to 3 terms drawn from the index's own term dictionary (the chunk
   * text field), deterministic for a given index content and seed. Half the terms are drawn in
   * proportion to their document frequency (common words, the expensive ones: long postings), half
   * uniformly among the terms found in at least two chunks (mostly rare words, the cheap ones).
   * Only word-like terms (3 to 24 ASCII letters) are used. The terms are the index's analysed forms
   * (stemmed, lower case); analysing them again as a query leaves almost all of them unchanged.
   *
   * @throws IllegalArgumentException when the index holds no usable terms
   */
  public static QuerySet sampleTerms(QuarryIndex index, int count, long seed) throws IOException {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    int pool = Math.max(16, count * 3);
    Random random = new Random(seed);
    List<String> uniform = new ArrayList<>(pool);
    // Weighted reservoir (Efraimidis–Spirakis A-Res): keep the `pool` largest keys ln(u)/weight.
    PriorityQueue<Keyed> weighted =
        new PriorityQueue<>(pool + 1, (a, b) -> Double.compare(a.key(), b.key()));
    long eligible = 0;
    IndexSearcher searcher = index.acquireSearcher();
    try {
      Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), IndexSchema.TEXT);
      if (terms != null) {
        TermsEnum it = terms.iterator();
        for (BytesRef term = it.next(); term != null; term = it.next()) {
          int df = it.docFreq();
          if (df < 2 || !wordLike(term)) {
            continue;
          }
          String text = term.utf8ToString();
          eligible++;
          if (uniform.size() < pool) {
            uniform.add(text);
          } else {
            long slot = (long) (random.nextDouble() * eligible);
            if (slot < pool) {
              uniform.set((int) slot, text);
            }
          }
          double key = Math.log(1 - random.nextDouble()) / df;
          if (weighted.size() < pool) {
            weighted.add(new Keyed(key, text));
          } else if (key > weighted.peek().key()) {
            weighted.poll();
            weighted.add(new Keyed(key, text));
          }
        }
      }
    } finally {
      index.releaseSearcher(searcher);
    }
    if (uniform.isEmpty()) {
      throw new IllegalArgumentException(
          "the index at "
              + index.directory()
              + " has no word-like terms in two or more chunks to sample queries from");
    }
    List<String> common =
        weighted.stream()
            .sorted((a, b) -> Double.compare(b.key(), a.key()))
            .map(Keyed::text)
            .toList();
    List<String> queries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int terms = 1 + random.nextInt(3);
      StringBuilder q = new StringBuilder();
      for (int t = 0; t < terms; t++) {
        List<String> from = random.nextBoolean() ? common : uniform;
        q.append(t == 0 ? "" : " ").append(from.get(random.nextInt(from.size())));
      }
      queries.add(q.toString());
    }
    return new QuerySet("terms:seed=" + seed + ",count=" + count, queries);
  }

  private record Keyed(double key, String text) {}

  /** 3 to 24 ASCII letters: words, not numbers, hashes or punctuation. */
  private static boolean wordLike(BytesRef term) {
    if (term.length < 3 || term.length > 24) {
      return false;
    }
    for (int i = term.offset; i < term.offset + term.length; i++) {
      byte b = term.bytes[i];
      if (b < 'a' || b > 'z') {
        return false;
      }
    }
    return true;
  }
}
