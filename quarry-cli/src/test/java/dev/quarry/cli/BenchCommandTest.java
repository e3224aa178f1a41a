package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry bench --quick} end to end, in-process: a real generated tree, real indexes, the
 * real model. The timings themselves are not asserted (a shared machine decides them); the JSON
 * shape, the history, the baseline and the exit codes are. A doctored baseline makes the verdict
 * certain: every figure 100 times better than anything this machine can do must regress.
 */
class BenchCommandTest {
  @TempDir Path work;
  final ObjectMapper json = new ObjectMapper();

  @Test
  void quickSuiteSavesABaselineThenFlagsARegressionAgainstIt() throws Exception {
    QuarryCliTest.Run first =
        QuarryCliTest.quarry(
            "bench", "--quick", "--json", "--save-baseline", "--work-dir", work.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    JsonNode run = json.readTree(first.out());
    // The document's keys, in order (quarry-bench's BenchJsonGoldenTest holds the whole of it).
    assertThat(fieldNames(run))
        .containsExactly(
            "suite",
            "startedAt",
            "config",
            "machine",
            "rule",
            "baseline",
            "figures",
            "regressions",
            "details",
            "historyFile",
            "baselineSaved",
            "warnings");
    assertThat(run.get("suite").asText()).isEqualTo("quick");
    assertThat(run.get("baseline").isNull()).isTrue();
    assertThat(run.at("/rule/threshold").asDouble()).isEqualTo(0.10);
    assertThat(run.at("/rule/alpha").asDouble()).isEqualTo(0.05);
    assertThat(run.at("/rule/test").asText()).contains("Mann-Whitney U");
    assertThat(run.at("/machine/cores").asText()).isNotEmpty();
    JsonNode figures = run.get("figures");
    assertThat(fieldNames(figures))
        .containsExactly(
            "query.lexical.p50_ms",
            "query.lexical.p95_ms",
            "query.lexical.p99_ms",
            "query.semantic.p50_ms",
            "query.semantic.p95_ms",
            "query.semantic.p99_ms",
            "query.hybrid.p50_ms",
            "query.hybrid.p95_ms",
            "query.hybrid.p99_ms",
            "index.first_lexical.mb_per_s",
            "index.noop_ms",
            "embed.chunks_per_s");
    for (JsonNode f : figures) {
      assertThat(fieldNames(f))
          .containsExactly(
              "unit",
              "better",
              "samples",
              "median",
              "min",
              "max",
              "baseline",
              "change",
              "pValue",
              "verdict");
      assertThat(f.get("samples")).hasSize(3);
      assertThat(f.get("median").asDouble()).isPositive();
      assertThat(f.get("min").asDouble()).isLessThanOrEqualTo(f.get("median").asDouble());
      assertThat(f.get("max").asDouble()).isGreaterThanOrEqualTo(f.get("median").asDouble());
      assertThat(f.get("better").asText()).isIn("lower", "higher");
      assertThat(f.get("baseline").isNull()).isTrue();
      assertThat(f.get("verdict").asText()).isEqualTo("no-baseline");
    }
    assertThat(figures.at("/index.noop_ms/better").asText()).isEqualTo("lower");
    assertThat(figures.at("/embed.chunks_per_s/better").asText()).isEqualTo("higher");
    assertThat(run.at("/details/query/queries").asInt()).isEqualTo(16);
    assertThat(run.at("/details/query/modes/semantic/searchOnly/p50Ms").asDouble()).isPositive();
    assertThat(run.at("/details/query/embedQuery/p50Ms").asDouble()).isPositive();
    assertThat(run.get("regressions")).isEmpty();
    assertThat(run.get("warnings").isArray()).isTrue();
    Path baseline = work.resolve("baseline-quick.json");
    assertThat(run.get("baselineSaved").asText()).isEqualTo(baseline.toString());
    assertThat(Files.readAllLines(work.resolve("history.jsonl"))).hasSize(1);

    // A baseline no machine can match: lower-is-better figures 100x lower, higher-is-better 100x
    // higher.
    ObjectNode impossible = (ObjectNode) json.readTree(Files.readString(baseline));
    impossible
        .get("figures")
        .forEach(
            f -> {
              double factor = f.get("better").asText().equals("lower") ? 0.01 : 100;
              ArrayNode samples = (ArrayNode) f.get("samples");
              for (int i = 0; i < samples.size(); i++) {
                samples.set(i, samples.get(i).asDouble() * factor);
              }
            });
    Files.writeString(baseline, json.writeValueAsString(impossible), StandardCharsets.UTF_8);

    QuarryCliTest.Run second =
        QuarryCliTest.quarry(
            "bench", "--quick", "--only", "index,noop", "--json", "--work-dir", work.toString());
    assertThat(second.exit()).as(second.err()).isEqualTo(ExitCodes.REGRESSION);
    JsonNode compared = json.readTree(second.out());
    assertThat(compared.at("/baseline/comparable").asBoolean()).isTrue();
    assertThat(fieldNames(compared.get("figures")))
        .containsExactly("index.first_lexical.mb_per_s", "index.noop_ms");
    for (JsonNode f : compared.get("figures")) {
      assertThat(f.get("verdict").asText()).isEqualTo("regression");
      assertThat(f.at("/baseline/samples")).hasSize(3);
      assertThat(f.get("pValue").asDouble())
          .isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(compared.get("regressions"))
        .extracting(JsonNode::asText)
        .containsExactly("index.first_lexical.mb_per_s", "index.noop_ms");
    assertThat(Files.readAllLines(work.resolve("history.jsonl"))).hasSize(2);

    // Human output, same comparison: the table and the verdict line.
    QuarryCliTest.Run human =
        QuarryCliTest.quarry(
            "bench", "--quick", "--only", "noop", "-q", "--work-dir", work.toString());
    assertThat(human.exit()).isEqualTo(ExitCodes.REGRESSION);
    assertThat(human.out()).contains("index.noop_ms").contains("regression").contains("REGRESSION");
  }

  @Test
  void anUnknownBenchmarkIsAUsageError() {
    QuarryCliTest.Run r =
        QuarryCliTest.quarry("bench", "--quick", "--only", "warp", "--work-dir", work.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown benchmark 'warp'").contains("query, index, noop, embed");
  }

  @Test
  void theChosenModelIsBenchmarkedOnIndexesAndABaselineOfItsOwn() throws Exception {
    QuarryCliTest.Run r =
        QuarryCliTest.quarry(
            "bench",
            "--quick",
            "--only",
            "query,embed",
            "--runs",
            "1",
            "--model",
            "bge-small-en-v1.5-q",
            "--json",
            "--save-baseline",
            "--work-dir",
            work.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode run = json.readTree(r.out());
    assertThat(run.at("/details/embed/model").asText()).startsWith("bge-small-en-v1.5-q@");
    assertThat(run.at("/config/model").asText()).isEqualTo("bge-small-en-v1.5-q");
    // The query benchmark searches an index of the model's own vectors, beside the default's.
    assertThat(run.at("/details/query/index").asText())
        .endsWith(".index-embedded-bge-small-en-v1.5-q");
    assertThat(run.at("/details/query/embedQuery/p50Ms").asDouble()).isPositive();
    assertThat(fieldNames(run.get("figures")))
        .contains("query.hybrid.p50_ms", "embed.chunks_per_s");
    assertThat(run.get("baselineSaved").asText())
        .isEqualTo(work.resolve("baseline-quick-bge-small-en-v1.5-q.json").toString());
    assertThat(work.resolve("baseline-quick.json")).doesNotExist();

    // The default model: no model in the configuration (older baselines stay comparable), and
    // not compared with the other model's baseline.
    QuarryCliTest.Run plain =
        QuarryCliTest.quarry(
            "bench",
            "--quick",
            "--only",
            "embed",
            "--runs",
            "1",
            "--json",
            "--baseline",
            work.resolve("baseline-quick-bge-small-en-v1.5-q.json").toString(),
            "--work-dir",
            work.toString());
    assertThat(plain.exit()).as(plain.err()).isZero();
    JsonNode defaults = json.readTree(plain.out());
    assertThat(defaults.at("/details/embed/model").asText()).startsWith("all-minilm-l6-v2-q@");
    assertThat(defaults.get("config").has("model")).isFalse();
    assertThat(defaults.at("/baseline/comparable").asBoolean()).isFalse();
    assertThat(defaults.at("/figures/embed.chunks_per_s/verdict").asText())
        .isEqualTo("no-baseline");
  }

  @Test
  void anUnknownModelIsAUsageErrorNamingTheModels() {
    QuarryCliTest.Run r =
        QuarryCliTest.quarry("bench", "--quick", "--model", "gpt-9", "--work-dir", work.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--model: unknown embedding model 'gpt-9'")
        .contains("all-minilm-l6-v2-q")
        .contains("minilm-static")
        .contains("bge-small-en-v1.5-q");
    assertThat(work.resolve("history.jsonl")).doesNotExist();
  }

  private static List<String> fieldNames(JsonNode node) {
    return node.properties().stream().map(java.util.Map.Entry::getKey).toList();
  }
}
