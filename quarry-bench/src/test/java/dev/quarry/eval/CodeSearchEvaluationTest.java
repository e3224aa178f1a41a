package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.cache.CacheSettings;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.search.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A made-up code-search set of two repositories, indexed for real (lexical), every query's score
 * known in advance: the words of each query occur in one file only.
 */
class CodeSearchEvaluationTest {
  @TempDir Path data;
  @TempDir Path work;

  /** Writes the set: alpha (python, root src/), beta (go, root cmd/). */
  static void writeTinySet(Path dir) throws IOException {
    write(
        dir.resolve("repos/alpha/alpha/parser.py"),
        "def parse_tokens(source):\n    tokenizer = Lexer(grammar)\n    return tokenizer.run(source)\n");
    write(
        dir.resolve("repos/alpha/alpha/render.py"),
        "def render_page(context):\n    template = load_template()\n    return template.fill(context)\n");
    write(
        dir.resolve("repos/beta/beta/server.go"),
        "package beta\n\nfunc Listen(port int) error {\n\treturn bind(port)\n}\n");
    write(
        dir.resolve("repos/beta/beta/client.go"),
        "package beta\n\nfunc Dial(addr string) error {\n\treturn retry(addr)\n}\n");
    write(
        dir.resolve("repos.json"),
        """
        [
          {"name": "alpha", "language": "python", "root": "src",
           "published_ndcg10": {"semble": 0.9, "BM25 (unranked)": 0.7}},
          {"name": "beta", "language": "go", "root": "cmd",
           "published_ndcg10": {"semble": 0.8, "BM25 (unranked)": 0.5}}
        ]
        """);
    write(
        dir.resolve("queries.jsonl"),
        String.join(
                "\n",
                q(
                    "alpha-0",
                    "alpha",
                    "python",
                    "semantic",
                    "tokenizer grammar",
                    "[\"src/alpha/parser.py\"]",
                    "[]"),
                q(
                    "alpha-1",
                    "alpha",
                    "python",
                    "architecture",
                    "render template",
                    "[\"src/alpha/render.py\"]",
                    "[\"src/alpha/parser.py\"]"),
                q(
                    "beta-0",
                    "beta",
                    "go",
                    "semantic",
                    "dial retry",
                    "[\"cmd/beta/client.go\"]",
                    "[]"),
                q(
                    "beta-1",
                    "beta",
                    "go",
                    "symbol",
                    "listen port",
                    "[{\"path\": \"cmd/beta/server.go\", \"start_line\": 100, \"end_line\": 120}]",
                    "[]"),
                q(
                    "beta-2",
                    "beta",
                    "go",
                    "symbol",
                    "listen port",
                    "[{\"path\": \"cmd/beta/server.go\", \"start_line\": 1, \"end_line\": 2}]",
                    "[]"))
            + "\n");
  }

  /** alpha: (1 + 1/(1 + 1/log2 3)) / 2; beta: (1 + 0 + 1) / 3. */
  static final double ALPHA = (1 + 1 / (1 + Math.log(2) / Math.log(3))) / 2;

  static final double BETA = 2.0 / 3;

  @Test
  void scoresEachRepositoryOnItsOwnIndexAndARerunReadsNothing() throws Exception {
    writeTinySet(data);
    CodeSearchDataset dataset = new CodeSearchDataset(data);
    CodeSearchEvaluation evaluation =
        new CodeSearchEvaluation(
            dataset, work, EmbeddingModels.DEFAULT, CacheSettings.memoryOnly());
    CodeSearchEvaluation.Report report =
        evaluation.evaluate(
            dataset.repositories(),
            List.of(SearchMode.LEXICAL),
            CodeSearchEvaluation.Progress.NONE);
    CodeSearchScores lexical = report.results().get(0);
    assertThat(lexical.mode()).isEqualTo("lexical");
    assertThat(lexical.queries()).isEqualTo(5);
    assertThat(lexical.byRepository().get(0).ndcgAt10()).isCloseTo(ALPHA, within(1e-9));
    assertThat(lexical.byRepository().get(1).ndcgAt10()).isCloseTo(BETA, within(1e-9));
    assertThat(lexical.overall()).isCloseTo((ALPHA + BETA) / 2, within(1e-9));
    assertThat(lexical.byCategory().get("semantic")).isCloseTo(1.0, within(1e-9));
    assertThat(lexical.byCategory().get("symbol")).isCloseTo(0.5, within(1e-9));
    assertThat(lexical.byLanguage().get("go")).isCloseTo(BETA, within(1e-9));
    assertThat(report.indexRuns().get("alpha").filesIndexed()).isEqualTo(2);
    // Each repository has its own real index in the work folder, none in the data.
    assertThat(evaluation.indexDir(dataset.repositories().get(1), false))
        .isEqualTo(work.resolve("beta/index-lexical"))
        .isDirectory();
    try (var files = Files.walk(data)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith(".quarry"))).isEmpty();
    }

    CodeSearchEvaluation.Report again =
        evaluation.evaluate(
            dataset.select(List.of("beta")),
            List.of(SearchMode.LEXICAL),
            CodeSearchEvaluation.Progress.NONE);
    assertThat(again.indexRuns().get("beta").filesIndexed()).isZero();
    assertThat(again.indexRuns().get("beta").filesUnchanged()).isEqualTo(2);
    assertThat(again.results().get(0).overall()).isCloseTo(BETA, within(1e-9));
    var published = CodeSearchScores.published(dataset.repositories());
    assertThat(published.keySet()).containsExactly("semble", "BM25 (unranked)");
    assertThat(published.get("semble")).isCloseTo(0.85, within(1e-12));
    assertThat(published.get("BM25 (unranked)")).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void badDataIsRefusedNamingTheFileAndLine() throws Exception {
    writeTinySet(data);
    assertThatThrownBy(() -> new CodeSearchDataset(data).select(List.of("gamma")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no repository 'gamma'")
        .hasMessageContaining("alpha, beta");
    Files.writeString(
        data.resolve("queries.jsonl"),
        q("x", "gamma", "go", "symbol", "t", "[\"a.go\"]", "[]") + "\n");
    assertThatThrownBy(() -> new CodeSearchDataset(data))
        .hasMessageContaining("queries.jsonl:1")
        .hasMessageContaining("'gamma' is not in repos.json");
    Files.writeString(
        data.resolve("queries.jsonl"),
        q(
                "x",
                "beta",
                "go",
                "symbol",
                "t",
                "[{\"path\": \"a.go\", \"start_line\": 9, \"end_line\": 3}]",
                "[]")
            + "\n");
    assertThatThrownBy(() -> new CodeSearchDataset(data))
        .hasMessageContaining("queries.jsonl:1")
        .hasMessageContaining("bad line range 9-3");
    assertThatThrownBy(() -> new CodeSearchDataset(work))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("not a code-search data set");
  }

  private static String q(
      String id,
      String repo,
      String language,
      String category,
      String text,
      String relevant,
      String secondary) {
    return String.format(
        "{\"_id\": \"%s\", \"repo\": \"%s\", \"language\": \"%s\", \"category\": \"%s\","
            + " \"text\": \"%s\", \"relevant\": %s, \"secondary\": %s}",
        id, repo, language, category, text, relevant, secondary);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
