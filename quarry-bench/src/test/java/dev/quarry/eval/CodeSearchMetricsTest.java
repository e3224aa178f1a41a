package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.eval.CodeSearchDataset.Target;
import dev.quarry.eval.CodeSearchMetrics.Chunk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's chunk-level NDCG@10 on hand-made rankings, each figure worked out by hand. */
class CodeSearchMetricsTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void aPathMatchesWhenOneIsASuffixOfTheOtherByWholeSegments() {
    // The index knows paths below the indexed folder, the targets below the repository's top.
    assertThat(CodeSearchMetrics.samePath("bats-core/run.bash", "lib/bats-core/run.bash")).isTrue();
    assertThat(CodeSearchMetrics.samePath("lib/bats-core/run.bash", "bats-core/run.bash")).isTrue();
    assertThat(CodeSearchMetrics.samePath("a/b.go", "a/b.go")).isTrue();
    assertThat(CodeSearchMetrics.samePath("./a/b.go", "a/b.go")).isTrue();
    assertThat(CodeSearchMetrics.samePath("bash_completions.go", "completions.go")).isFalse();
    assertThat(CodeSearchMetrics.samePath("x/a/b.go", "y/a/b.go")).isFalse();
    assertThat(CodeSearchMetrics.samePath("a/b.go", "a/c.go")).isFalse();
  }

  @Test
  void aTargetFoundAtRankOneScoresOneAndAtRankThreeItsDiscount() {
    List<Target> target = List.of(Target.file("lib/core/run.py"));
    assertThat(ndcg(List.of(chunk("core/run.py", 1, 40)), target)).isEqualTo(1.0);
    // Rank 3: 1/log2(4) = 0.5, over an ideal of one hit at rank 1.
    assertThat(
            ndcg(
                List.of(
                    chunk("core/a.py", 1, 9), chunk("core/b.py", 1, 9), chunk("core/run.py", 1, 9)),
                target))
        .isCloseTo(0.5, within(1e-12));
  }

  @Test
  void aLineRangeTargetNeedsAChunkThatOverlapsIt() {
    List<Target> range = List.of(new Target("lib/response.js", 125, 230));
    // Same file, lines 1-124: no overlap. Lines 230-300 touch the last line: found at rank 2.
    assertThat(ndcg(List.of(chunk("response.js", 1, 124)), range)).isZero();
    assertThat(ndcg(List.of(chunk("response.js", 231, 300)), range)).isZero();
    assertThat(ndcg(List.of(chunk("response.js", 1, 124), chunk("response.js", 230, 300)), range))
        .isCloseTo(1 / LOG2_3, within(1e-12));
    assertThat(ndcg(List.of(chunk("response.js", 150, 160)), range)).isEqualTo(1.0);
    assertThat(ndcg(List.of(chunk("response.js", 100, 400)), range)).isEqualTo(1.0);
  }

  @Test
  void laterChunksOfAFoundFileCountForNothing() {
    List<Target> one = List.of(Target.file("src/app.ts"));
    List<Chunk> threeOfTheSameFile =
        List.of(chunk("other.ts", 1, 5), chunk("src/app.ts", 1, 50), chunk("src/app.ts", 51, 99));
    // Only rank 2 counts: 1/log2(3), not 1/log2(3) + 1/log2(4).
    assertThat(ndcg(threeOfTheSameFile, one)).isCloseTo(1 / LOG2_3, within(1e-12));
  }

  @Test
  void theIdealHasAsManyHitsAsTargetsUpToTen() {
    // Two targets, found at ranks 1 and 3: (1 + 0.5) / (1 + 1/log2(3)).
    List<Target> two = List.of(Target.file("a.c"), Target.file("b.c"));
    assertThat(ndcg(List.of(chunk("a.c", 1, 9), chunk("x.c", 1, 9), chunk("b.c", 1, 9)), two))
        .isCloseTo(1.5 / (1 + 1 / LOG2_3), within(1e-12));
    // One of two targets found at rank 1: 1 / (1 + 1/log2(3)), not 1.
    assertThat(ndcg(List.of(chunk("a.c", 1, 9)), two))
        .isCloseTo(1 / (1 + 1 / LOG2_3), within(1e-12));
    // Twelve targets: the ideal stops at ten hits, so ten found at ranks 1-10 score 1.
    List<Target> twelve = new java.util.ArrayList<>();
    List<Chunk> ten = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      twelve.add(Target.file("f" + i + ".rs"));
      if (i < 10) {
        ten.add(chunk("f" + i + ".rs", 1, 2));
      }
    }
    assertThat(ndcg(ten, twelve)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void onlyTheTopTenChunksAreSeen() {
    List<Chunk> ranked = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ranked.add(chunk("noise" + i + ".py", 1, 2));
    }
    ranked.add(chunk("hit.py", 1, 2));
    assertThat(ndcg(ranked, List.of(Target.file("hit.py")))).isZero();
    assertThat(ndcg(List.of(), List.of(Target.file("hit.py")))).isZero();
  }

  @Test
  void repositoriesWeighTheSameHoweverManyQueriesTheyHave() {
    CodeSearchDataset.Query a1 = query("a", "semantic", "go");
    CodeSearchDataset.Query a2 = query("a", "symbol", "go");
    CodeSearchDataset.Query a3 = query("a", "symbol", "go");
    CodeSearchDataset.Query b1 = query("b", "symbol", "c");
    CodeSearchScores scores =
        CodeSearchScores.of(
            "lexical",
            List.of(repo("a", "go"), repo("b", "c"), repo("empty", "c")),
            List.of(
                new CodeSearchScores.QueryScore(a1, 1.0),
                new CodeSearchScores.QueryScore(a2, 0.0),
                new CodeSearchScores.QueryScore(a3, 0.5),
                new CodeSearchScores.QueryScore(b1, 0.0)));
    // a: (1 + 0 + 0.5) / 3 = 0.5; b: 0; overall (0.5 + 0) / 2, not 1.5 / 4.
    assertThat(scores.overall()).isCloseTo(0.25, within(1e-12));
    assertThat(scores.byRepository()).extracting(r -> r.repo()).containsExactly("a", "b");
    // symbol: a's symbol queries 0.25, b's 0: 0.125; semantic: a only.
    assertThat(scores.byCategory())
        .containsExactly(
            java.util.Map.entry("semantic", 1.0), java.util.Map.entry("symbol", 0.125));
    assertThat(scores.byLanguage())
        .containsExactly(java.util.Map.entry("c", 0.0), java.util.Map.entry("go", 0.5));
  }

  private static CodeSearchDataset.Query query(String repo, String category, String language) {
    return new CodeSearchDataset.Query(
        repo + category, repo, language, category, "q", List.of(Target.file("x")));
  }

  private static CodeSearchDataset.Repository repo(String name, String language) {
    return new CodeSearchDataset.Repository(name, language, java.util.Map.of());
  }

  private static Chunk chunk(String path, int start, int end) {
    return new Chunk(path, start, end);
  }

  private static double ndcg(List<Chunk> ranked, List<Target> targets) {
    return CodeSearchMetrics.ndcgAt(10, ranked, targets);
  }
}
