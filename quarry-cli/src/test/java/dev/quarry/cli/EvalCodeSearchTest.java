package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry eval} on a made-up code-search set (two repositories, four queries), in-process,
 * lexical: real indexes, every score known in advance because each query's words occur in one file
 * only.
 */
class EvalCodeSearchTest {
  @TempDir Path data;
  @TempDir Path work;

  /** web: its target at rank 1, and a line range missed (the file has 3 lines). */
  private static final double WEB = (1 + 0) / 2.0;

  @Test
  void scoresTheSetAndPrintsItBesideThePublishedScores() throws Exception {
    writeSet(data);
    QuarryCliTest.Run text =
        QuarryCliTest.quarry(
            "eval", data.toString(), "--mode", "lexical", "--work-dir", work.toString());
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("2 repositories, 4 queries")
        // kv: rank 1, and rank 3 (1/log2 4 = 0.5); web: rank 1, and a line range missed.
        .containsPattern("kv +rust +2 +0\\.7500 +\\| +0\\.900 +0\\.800 +0\\.700")
        .containsPattern("web +ruby +2 +0\\.5000 +\\| +0\\.600 +0\\.400 +0\\.500")
        .containsPattern("  architecture +1 +0\\.5000")
        .containsPattern("  semantic +2 +1\\.0000")
        .containsPattern("  symbol +1 +0\\.0000")
        .containsPattern("  ruby +2 +0\\.5000 +\\| +0\\.600 +0\\.400 +0\\.500")
        .containsPattern("overall +4 +0\\.6250 +\\| +0\\.750 +0\\.600");
    assertThat(text.err()).contains("[1/2] kv: indexing").contains("web: lexical NDCG@10 0.5000");

    QuarryCliTest.Run json =
        QuarryCliTest.quarry(
            "eval",
            data.toString(),
            "--json",
            "--repos",
            "web",
            "--work-dir",
            work.toString(),
            "--mode",
            "lexical");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(json.err()).isEmpty();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("format").asText()).isEqualTo("codesearch");
    assertThat(doc.get("queries").asInt()).isEqualTo(2);
    JsonNode lexical = doc.at("/results/0");
    assertThat(lexical.get("mode").asText()).isEqualTo("lexical");
    assertThat(lexical.get("ndcg@10").asDouble()).isCloseTo(WEB, within(1e-9));
    assertThat(lexical.at("/byRepository/0/repo").asText()).isEqualTo("web");
    assertThat(doc.at("/published/overall/semble").asDouble()).isCloseTo(0.6, within(1e-9));
  }

  @Test
  void anUnknownRepositoryIsAUsageErrorNamingIt() throws Exception {
    writeSet(data);
    QuarryCliTest.Run run = QuarryCliTest.quarry("eval", data.toString(), "--repos", "nope");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no repository 'nope'").contains("kv, web");
  }

  @Test
  void reposOnAnotherKindOfSetIsAUsageError() {
    QuarryCliTest.Run run = QuarryCliTest.quarry("eval", work.toString(), "--repos", "kv");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("--repos applies to a code-search set")
        .contains(work.toString());
  }

  /** kv (rust, root src/): 3 files; web (ruby, root lib/): 2 files. */
  private static void writeSet(Path dir) throws IOException {
    write(
        dir.resolve("repos/kv/store.rs"),
        "fn compaction_merge(level: u32) {\n    sweep(level);\n}\n");
    write(
        dir.resolve("repos/kv/wal.rs"),
        "fn journal_append(entry: Entry) {\n    flush(entry);\n}\n");
    write(
        dir.resolve("repos/kv/bloom.rs"),
        "fn bloom_probe(key: &[u8]) -> bool {\n    hashes(key)\n}\n");
    write(
        dir.resolve("repos/web/router.rb"),
        "def route_dispatch(path)\n  table.lookup(path)\nend\n");
    write(dir.resolve("repos/web/session.rb"), "def cookie_session(jar)\n  jar.read\nend\n");
    write(
        dir.resolve("repos.json"),
        """
        [
          {"name": "kv", "language": "rust", "root": "src",
           "published_ndcg10": {"semble": 0.9, "CodeRankEmbed hybrid": 0.8, "BM25 (unranked)": 0.7}},
          {"name": "web", "language": "ruby", "root": "lib",
           "published_ndcg10": {"semble": 0.6, "CodeRankEmbed hybrid": 0.4, "BM25 (unranked)": 0.5}}
        ]
        """);
    // kv-1: the words hit wal.rs, bloom.rs, store.rs in that order (each twice, once, ... ): the
    // target store.rs is reached only through "sweep", found third.
    write(
        dir.resolve("queries.jsonl"),
        String.join(
                "\n",
                "{\"_id\": \"kv-0\", \"repo\": \"kv\", \"language\": \"rust\", \"category\": \"semantic\","
                    + " \"text\": \"journal append\", \"relevant\": [\"src/wal.rs\"], \"secondary\": []}",
                "{\"_id\": \"kv-1\", \"repo\": \"kv\", \"language\": \"rust\", \"category\": \"architecture\","
                    + " \"text\": \"journal append flush entry bloom probe hashes key sweep\","
                    + " \"relevant\": [\"src/store.rs\"], \"secondary\": []}",
                "{\"_id\": \"web-0\", \"repo\": \"web\", \"language\": \"ruby\", \"category\": \"semantic\","
                    + " \"text\": \"cookie session\", \"relevant\": [\"lib/session.rb\"], \"secondary\": []}",
                "{\"_id\": \"web-1\", \"repo\": \"web\", \"language\": \"ruby\", \"category\": \"symbol\","
                    + " \"text\": \"route dispatch\", \"relevant\": [{\"path\": \"lib/router.rb\","
                    + " \"start_line\": 40, \"end_line\": 50}], \"secondary\": []}")
            + "\n");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
