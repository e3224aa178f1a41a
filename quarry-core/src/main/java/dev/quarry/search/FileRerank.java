package dev.quarry.search;

import dev.quarry.extract.Languages;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoreView.ScoredChunk;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reranks a list by what is known of each chunk and its file, rules each kept because the
 * code-search evaluation said it helps (BENCHMARKS.md, "Code search"):
 *
 * <ul>
 *   <li>a chunk of code that defines a name the query asks for ({@link Definitions}) has its score
 *       multiplied by {@code 1 + definitionBoost}: the definition answers a lookup better than the
 *       chunks that merely use the name, which BM25 and embeddings cannot tell apart.
 *   <li>a file's later chunks give way to other files: the n-th chunk of a file (from 0, in the
 *       list's order) has its score multiplied by {@code sameFileDecay^n}. Ten chunks of one file
 *       tell the reader one thing; the next file usually tells more.
 *   <li>a test file's chunks weigh {@code testFileWeight}, unless the query asks about tests: a
 *       question about code is answered by the code, and its tests repeat its names.
 *   <li>among candidates that include code: a file that matches in many places gains ({@link
 *       #FILE_COHERENCE}), and examples, docs sources, compat and legacy folders weigh {@link
 *       #EXAMPLE_WEIGHT}.
 * </ul>
 */
final class FileRerank {
  /**
   * Paths of tests: a folder named test(s), spec(s), __tests__, testing, testdata or fixture(s); or
   * a file named test_*, *_test.*, *Test.* / *Tests.*, *.test.* or *.spec.*.
   */
  private static final Pattern TEST_PATH =
      Pattern.compile(
          "(^|/)(tests?|__tests__|specs?|testing|testdata|fixtures?)/"
              + "|(^|/)test_[^/]*$|_test\\.[a-z]+$|[A-Za-z]Tests?\\.[a-z]+$|\\.(test|spec)\\.[a-z]+$");

  /** Query terms that ask about tests themselves. */
  private static final Set<String> ABOUT_TESTS = Set.of("test", "tests", "spec", "specs");

  private FileRerank() {}

  /** Whether {@code path} (relative, '/'-separated) looks like a test. */
  static boolean looksLikeTest(String path) {
    return TEST_PATH.matcher(path).find();
  }

  static boolean applies(Ranking ranking) {
    return ranking.sameFileDecay() < 1
        || ranking.testFileWeight() < 1
        || ranking.definitionBoost() > 0;
  }

  /**
   * Among candidates that include code, the weight of a chunk under examples, docs sources, compat
   * or legacy folders: copies and old versions of the code that answers (code search, lexical:
   * +0.003).
   */
  static final double EXAMPLE_WEIGHT = 0.3;

  /**
   * Among candidates that include code, each file's best chunk gains {@code FILE_COHERENCE} times
   * the top score, in proportion to the sum of its file's candidate scores (the file with the most
   * matching chunks gains it all): a file that matches in many places is more likely the answer
   * than one lucky chunk (code search, lexical: +0.022 alone; 0.2, 0.4 and 0.8 gave 0.821, 0.832
   * and 0.833 with the rules above). Not on text: SciFact lost 0.017 and CoSQA 0.009 with it, their
   * longer documents favoured for being long.
   */
  static final double FILE_COHERENCE = 0.4;

  private static final Pattern EXAMPLES =
      Pattern.compile("(^|/)(_?examples?|docs?_src|_?compat|legacy)/");

  static List<ScoredChunk> rerank(
      StoreView view,
      List<ScoredChunk> ranked,
      Ranking ranking,
      String query,
      Set<String> terms,
      int limit)
      throws IOException {
    // Each rule looks at the candidates' stored fields: read each once.
    Map<Long, StoredChunk> stored = new HashMap<>();
    for (ScoredChunk chunk : ranked) {
      stored.put(chunk.ref(), view.chunk(chunk.ref()));
    }
    boolean anyCode = stored.values().stream().anyMatch(c -> Languages.isCode(c.language()));
    Definitions definitions =
        ranking.definitionBoost() > 0 ? Definitions.of(query) : Definitions.of("");
    if (!definitions.isEmpty()) {
      List<ScoredChunk> boosted = new ArrayList<>(ranked.size());
      for (ScoredChunk chunk : ranked) {
        StoredChunk candidate = stored.get(chunk.ref());
        boolean defines =
            Languages.isCode(candidate.language()) && definitions.definedIn(candidate.text());
        boosted.add(
            defines
                ? new ScoredChunk(chunk.ref(), chunk.score() * (1 + ranking.definitionBoost()))
                : chunk);
      }
      ranked = byScore(boosted);
    }
    if (anyCode && !ranked.isEmpty()) {
      ranked = byScore(withFileCoherence(ranked, stored));
    }
    double testWeight =
        terms.stream().anyMatch(ABOUT_TESTS::contains) ? 1 : ranking.testFileWeight();
    Map<String, Integer> seen = new HashMap<>();
    List<ScoredChunk> reranked = new ArrayList<>(ranked.size());
    for (ScoredChunk chunk : ranked) {
      StoredChunk candidate = stored.get(chunk.ref());
      int before = seen.merge(candidate.file(), 1, Integer::sum) - 1;
      double weight = Math.pow(ranking.sameFileDecay(), before);
      String path = candidate.path().replace('\\', '/');
      if (testWeight < 1 && looksLikeTest(path)) {
        weight *= testWeight;
      }
      if (anyCode && EXAMPLES.matcher(path).find()) {
        weight *= EXAMPLE_WEIGHT;
      }
      reranked.add(new ScoredChunk(chunk.ref(), chunk.score() * weight));
    }
    reranked = byScore(reranked);
    return reranked.subList(0, Math.min(limit, reranked.size()));
  }

  /**
   * {@code ranked} with each file's best chunk raised by {@link #FILE_COHERENCE} times the top
   * score, in proportion to its file's share of the candidates' scores.
   */
  private static List<ScoredChunk> withFileCoherence(
      List<ScoredChunk> ranked, Map<Long, StoredChunk> stored) {
    Map<String, Double> fileSum = new HashMap<>();
    for (ScoredChunk chunk : ranked) {
      fileSum.merge(stored.get(chunk.ref()).file(), chunk.score(), Double::sum);
    }
    double maxSum = fileSum.values().stream().mapToDouble(d -> d).max().orElse(1);
    double max = ranked.stream().mapToDouble(ScoredChunk::score).max().orElse(0);
    Set<String> done = new HashSet<>();
    List<ScoredChunk> coherent = new ArrayList<>(ranked.size());
    for (ScoredChunk chunk : ranked) {
      String file = stored.get(chunk.ref()).file();
      coherent.add(
          done.add(file)
              ? new ScoredChunk(
                  chunk.ref(), chunk.score() + FILE_COHERENCE * max * fileSum.get(file) / maxSum)
              : chunk);
    }
    return coherent;
  }

  /** Highest score first; stable, so equal scores keep the list's order. */
  private static List<ScoredChunk> byScore(List<ScoredChunk> chunks) {
    List<ScoredChunk> sorted = new ArrayList<>(chunks);
    sorted.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
    return sorted;
  }
}
