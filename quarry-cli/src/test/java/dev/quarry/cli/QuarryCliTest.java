package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in-process: real index on disk, JSON output parsed back, exit codes. */
class QuarryCliTest {
  @TempDir Path tree;
  final ObjectMapper json = new ObjectMapper();

  record Run(int exit, String out, String err) {}

  static Run quarry(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = QuarryCli.execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeEach
  void tree() throws Exception {
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(
        tree.resolve("src/Main.java"),
        "class Main {\n  // entry point\n  void launchRocket() {}\n}\n");
    Files.writeString(tree.resolve("README.md"), "# Rockets\n\nHow to launch a rocket safely.\n");
  }

  @Test
  void indexThenSearchThenStatusAsJson() throws Exception {
    Run index = quarry("index", tree.toString(), "--no-embed", "--json");
    assertThat(index.exit()).as(index.err()).isZero();
    JsonNode summary = json.readTree(index.out());
    assertThat(summary.at("/files/indexed").asLong()).isEqualTo(2);
    assertThat(summary.at("/files/unchanged").asLong()).isZero();
    assertThat(summary.at("/files/deleted").asLong()).isZero();
    assertThat(summary.at("/files/skipped").asLong()).isZero();
    assertThat(summary.at("/files/failed").asLong()).isZero();
    assertThat(summary.at("/chunks/total").asLong()).isEqualTo(2);
    assertThat(summary.at("/chunks/embedded").asLong()).isZero();
    assertThat(summary.has("wallSeconds")).isTrue();
    assertThat(tree.resolve(".quarry")).isDirectory();

    Run search =
        quarry("search", "launch", "--mode", "lexical", "--json", "--index", tree.toString());
    assertThat(search.exit()).as(search.err()).isZero();
    JsonNode hits = json.readTree(search.out()).get("hits");
    assertThat(hits).hasSize(2);
    assertThat(hits.get(0).get("path").asText()).isIn("README.md", "src/Main.java");
    for (JsonNode hit : hits) {
      assertThat(hit.get("startLine").asInt()).isEqualTo(1);
      assertThat(hit.get("stale").asBoolean()).isFalse();
      assertThat(hit.has("score")).isTrue();
      assertThat(hit.has("endLine")).isTrue();
    }

    Run status = quarry("status", "--json", "--index", tree.resolve(".quarry").toString());
    assertThat(status.exit()).isZero();
    JsonNode s = json.readTree(status.out());
    assertThat(s.get("files").asLong()).isEqualTo(2);
    assertThat(s.get("chunks").asLong()).isEqualTo(2);
    assertThat(s.get("vectors").asLong()).isZero();
    assertThat(s.get("roots").get(0).asText()).isEqualTo(tree.toRealPath().toString());

    Run again = quarry("index", tree.toString(), "--no-embed", "--json");
    assertThat(json.readTree(again.out()).at("/files/unchanged").asLong()).isEqualTo(2);
  }

  @Test
  void runsKeepsAReportOfEveryRunNewestFirst() throws Exception {
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Files.writeString(tree.resolve("src/Extra.java"), "class Extra {}\n");
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Run runs = quarry("runs", "--json", "--index", tree.toString());
    assertThat(runs.exit()).as(runs.err()).isZero();
    JsonNode list = json.readTree(runs.out());
    assertThat(list).hasSize(2);
    assertThat(list.get(0).at("/files/indexed").asLong()).isEqualTo(1);
    assertThat(list.get(0).at("/files/unchanged").asLong()).isEqualTo(2);
    assertThat(list.get(1).at("/files/indexed").asLong()).isEqualTo(2);
    JsonNode stages = list.get(0).get("stages");
    assertThat(stages)
        .extracting(st -> st.get("name").asText())
        .containsExactly("scan", "read+extract+chunk+write", "index");
    assertThat(stages.get(0).get("items").asLong()).isEqualTo(3);
    assertThat(list.get(0).get("bottleneck").asText()).isNotEmpty();
    assertThat(list.get(0).get("peakRssBytes").asLong()).isPositive();
    Run last = quarry("runs", "--last", "--index", tree.toString());
    assertThat(last.out())
        .contains("1 indexed, 2 unchanged")
        .contains("<- bottleneck")
        .contains("peak RSS");
  }

  @Test
  void semanticSearchOnALexicalIndexSaysWhatToDo() {
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Run r = quarry("search", "rocket", "--index", tree.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no vectors").contains("--mode lexical");
  }

  @Test
  void exitCodesForMissingIndexAndBadInput() {
    Run missing = quarry("search", "x", "--index", tree.resolve("nowhere").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_INDEX);
    assertThat(missing.err()).contains("no Quarry index at");

    Run badMode = quarry("search", "x", "--mode", "fuzzy", "--index", tree.toString());
    assertThat(badMode.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badMode.err()).contains("unknown search mode 'fuzzy'");

    Run badSize = quarry("index", tree.toString(), "--max-file-size", "lots");
    assertThat(badSize.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badSize.err()).contains("'lots' is not a size");

    Run notADir = quarry("index", tree.resolve("README.md").toString());
    assertThat(notADir.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(notADir.err()).contains("is not a directory");
  }

  @Test
  void statusNamesARootThatIsNoLongerThere() throws Exception {
    Path root = Files.createDirectories(tree.resolve("moved-away"));
    Files.writeString(root.resolve("notes.txt"), "rocket notes\n");
    Path index = tree.resolve("separate-index");
    assertThat(
            quarry("index", root.toString(), "--no-embed", "-q", "--index", index.toString())
                .exit())
        .isZero();
    Files.move(root, tree.resolve("moved-here"));

    Run status = quarry("status", "--json", "--index", index.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    JsonNode missing = json.readTree(status.out()).get("missingRoots");
    assertThat(missing).hasSize(1);
    assertThat(missing.get(0).asText()).endsWith("moved-away");
    assertThat(quarry("status", "--index", index.toString()).out())
        .contains("missing: ")
        .contains("moved-away");
  }

  @Test
  void bgeIndexesAndSearchesWithItsOwnVectorsAndTheIndexRefusesAnotherModel() throws Exception {
    Run index =
        quarry(
            "index",
            tree.toString(),
            "--model",
            "bge-small-en-v1.5-q",
            "--cache-dir",
            "off",
            "--json");
    assertThat(index.exit()).as(index.err()).isZero();
    assertThat(json.readTree(index.out()).at("/chunks/embedded").asLong()).isEqualTo(2);
    Run status = quarry("status", "--json", "--index", tree.toString());
    assertThat(json.readTree(status.out()).get("model").asText())
        .startsWith("bge-small-en-v1.5-q@");

    // The search takes the index's model (and its query prefix) without being told.
    Run search =
        quarry(
            "search",
            "safe procedure for sending a spacecraft up",
            "--mode",
            "semantic",
            "--json",
            "--index",
            tree.toString());
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(json.readTree(search.out()).at("/hits/0/path").asText()).isEqualTo("README.md");

    Files.writeString(tree.resolve("NOTES.md"), "More notes.\n");
    Run other =
        quarry(
            "index", tree.toString(), "--model", "all-minilm-l6-v2-q", "--cache-dir", "off", "-q");
    assertThat(other.exit()).isNotZero();
    assertThat(other.err()).contains("bge-small-en-v1.5-q@").contains("never mix");
  }

  @Test
  void badFlagValuesNameTheFlagAndConfigShowsEverySettingWithItsSource() throws Exception {
    Run zeroWorkers = quarry("index", tree.toString(), "--no-embed", "--workers", "0");
    assertThat(zeroWorkers.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(zeroWorkers.err())
        .contains("--workers: workers: '0' is not a whole number of at least 1");

    Run config = quarry("config", "--json");
    assertThat(config.exit()).as(config.err()).isZero();
    JsonNode settings = json.readTree(config.out());
    assertThat(settings.at("/batch-size/environment").asText()).isEqualTo("QUARRY_BATCH_SIZE");
    assertThat(settings.at("/commit-interval/value").asText()).isNotBlank();
    assertThat(settings.at("/workers/source").asText()).isNotBlank();
  }

  @Test
  void chunkerSyntaxCutsAClassAtItsMethodsAndTheHitNamesTheClass() throws Exception {
    StringBuilder big = new StringBuilder("public class Launcher {\n");
    for (int i = 0; i < 30; i++) {
      big.append("  void stage")
          .append(i)
          .append("(Rocket rocket) {\n")
          .append("    rocket.fire(")
          .append(i)
          .append(", \"stage ")
          .append(i)
          .append("\");\n")
          .append("  }\n\n");
    }
    big.append("  void countdownToIgnition() {\n    stage0(null);\n  }\n}\n");
    Files.writeString(tree.resolve("src/Launcher.java"), big.toString());
    Run bad = quarry("index", tree.toString(), "--no-embed", "--chunker", "ast");
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err())
        .contains("--chunker: chunker: unknown chunker 'ast'; one of: lines, syntax");

    Run index = quarry("index", tree.toString(), "--no-embed", "--chunker", "syntax", "-q");
    assertThat(index.exit()).as(index.err()).isZero();
    Run search =
        quarry(
            "search",
            "countdownToIgnition",
            "--mode",
            "lexical",
            "--index",
            tree.toString(),
            "--json");
    assertThat(search.exit()).as(search.err()).isZero();
    JsonNode hit = json.readTree(search.out()).at("/hits/0");
    assertThat(hit.at("/path").asText()).isEqualTo("src/Launcher.java");
    assertThat(hit.at("/context").asText()).isEqualTo("public class Launcher");
    assertThat(hit.at("/startLine").asInt()).isGreaterThan(1);
    assertThat(hit.at("/endLine").asInt()).isEqualTo(125); // the class's closing brace
  }

  @Test
  void humanOutputShowsLineNumbersAndMarksMatches() {
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Run r = quarry("search", "launchRocket", "--mode", "lexical", "--index", tree.toString());
    assertThat(r.out())
        .contains("src/Main.java:1-4")
        .contains("[launchRocket]")
        .contains("    3  ");
  }
}
