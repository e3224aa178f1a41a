package dev.quarry.eval;

import dev.quarry.eval.CodeSearchDataset.Target;
import java.util.List;

/**
 * The code-search benchmark's chunk-level NDCG, as its README defines it: the ranked chunks are not
 * grouped by file; each target counts once, at the rank of the first chunk that matches it, so
 * later chunks of the same file earn nothing; every target has relevance 1.
 */
public final class CodeSearchMetrics {
  private CodeSearchMetrics() {}

  /**
   * A ranked chunk as the metric sees it.
   *
   * @param path the file's path relative to the indexed folder
   * @param startLine first line, 1-based
   * @param endLine last line, inclusive
   */
  public record Chunk(String path, int startLine, int endLine) {}

  /** NDCG@k: DCG of the targets' first-match ranks over the DCG of min(k, #targets) hits. */
  public static double ndcgAt(int k, List<Chunk> ranked, List<Target> targets) {
    double dcg = 0;
    for (Target target : targets) {
      int rank = firstMatch(k, ranked, target);
      if (rank >= 0) {
        dcg += 1 / log2(rank + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, targets.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  /** The 0-based rank of the first of the top {@code k} chunks matching {@code target}, or -1. */
  static int firstMatch(int k, List<Chunk> ranked, Target target) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (matches(ranked.get(i), target)) {
        return i;
      }
    }
    return -1;
  }

  /** The same file, and (when the target has a line range) lines in common with it. */
  static boolean matches(Chunk chunk, Target target) {
    if (!samePath(chunk.path(), target.path())) {
      return false;
    }
    return !target.hasLines()
        || (chunk.startLine() <= target.endLine() && target.startLine() <= chunk.endLine());
  }

  /**
   * One path is a suffix of the other, whole segments only: the index knows paths relative to the
   * indexed folder ({@code bats-core/x.bash}), the targets relative to the repository's top ({@code
   * lib/bats-core/x.bash}). Segments, because {@code bash_completions.go} is not {@code
   * completions.go}, which cobra's queries list side by side.
   */
  static boolean samePath(String a, String b) {
    a = normalise(a);
    b = normalise(b);
    if (a.equals(b)) {
      return true;
    }
    String longer = a.length() > b.length() ? a : b;
    String shorter = longer == a ? b : a;
    return longer.endsWith("/" + shorter);
  }

  private static String normalise(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
