package dev.quarry.cli;

import static dev.quarry.cli.QuarryCliTest.quarry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.cli.QuarryCliTest.Run;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'quarry check': a clean index, a broken one repaired, a damaged one, one being written. */
class CheckCommandTest {
  @TempDir Path tree;
  final ObjectMapper json = new ObjectMapper();
  Path index;

  @BeforeEach
  void indexATree() throws Exception {
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(tree.resolve("src/Main.java"), "class Main {\n  void launchRocket() {}\n}\n");
    Files.writeString(tree.resolve("README.md"), "# Rockets\n\nHow to launch a rocket safely.\n");
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    index = tree.resolve(".quarry");
  }

  @Test
  void aCleanIndexIsExitCodeZero() throws Exception {
    Run check = quarry("check", "--index", tree.toString());
    assertThat(check.exit()).as(check.out() + check.err()).isZero();
    assertThat(check.out())
        .contains("lucene:   ok (checksums;")
        .contains("files:    2")
        .contains("problems: none");
    Run thorough = quarry("check", "--thorough", "--index", tree.toString());
    assertThat(thorough.exit()).as(thorough.out() + thorough.err()).isZero();
    assertThat(thorough.out()).contains("lucene:   ok (checksums and structures)");

    JsonNode report = json.readTree(quarry("check", "--json", "--index", tree.toString()).out());
    assertThat(report.get("consistent").asBoolean()).isTrue();
    assertThat(report.get("files").asLong()).isEqualTo(2);
    assertThat(report.get("chunks").asLong()).isEqualTo(2);
    assertThat(report.get("problems")).isEmpty();
  }

  @Test
  void aFileWithoutItsChunksIsExitCodeOneUntilRepaired() throws Exception {
    String readme = tree.toRealPath().resolve("README.md").toString();
    try (Directory dir = FSDirectory.open(index);
        IndexWriter raw =
            new IndexWriter(
                dir,
                new IndexWriterConfig(new CodeAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      raw.deleteDocuments(
          new BooleanQuery.Builder()
              .add(new TermQuery(new Term(IndexSchema.FILE, readme)), BooleanClause.Occur.FILTER)
              .add(
                  new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
                  BooleanClause.Occur.FILTER)
              .build());
      raw.commit();
    }

    Run check = quarry("check", "--index", tree.toString());
    assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(1);
    assertThat(check.out())
        .contains("problems: 1 in 1 files")
        .contains(
            readme + ": chunk-count: 0 chunk documents, the manifest says 1 (ordinal 0 missing)")
        .contains("quarry check --repair")
        .contains("quarry index " + tree.toRealPath());
    JsonNode report = json.readTree(quarry("check", "--json", "--index", tree.toString()).out());
    assertThat(report.at("/problems/0/kind").asText()).isEqualTo("CHUNK_COUNT");
    assertThat(report.at("/problems/0/file").asText()).isEqualTo(readme);
    assertThat(report.at("/problemsByKind/CHUNK_COUNT").asLong()).isEqualTo(1);

    Run repair = quarry("check", "--repair", "--index", tree.toString());
    assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
    assertThat(repair.out()).contains("removed 1 files from the index").contains("consistent now");
    assertThat(quarry("check", "--index", tree.toString()).exit()).isZero();
    assertThat(json.readTree(quarry("files", "--json", "--index", tree.toString()).out()))
        .extracting(f -> f.get("path").asText())
        .containsExactly("src/Main.java");

    Run reindex = quarry("index", tree.toString(), "--no-embed", "--json");
    assertThat(json.readTree(reindex.out()).at("/files/indexed").asLong()).isEqualTo(1);
    assertThat(quarry("check", "--index", tree.toString()).exit()).isZero();
  }

  @Test
  void aDamagedIndexIsExitCodeFourWithHowToRebuild() throws Exception {
    Path largest;
    try (Stream<Path> files = Files.list(index)) {
      largest =
          files
              .filter(p -> !p.getFileName().toString().startsWith("segments"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    try (RandomAccessFile file = new RandomAccessFile(largest.toFile(), "rw")) {
      long at = file.length() / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x5A);
    }

    Run check = quarry("check", "--repair", "--index", tree.toString());
    assertThat(check.exit()).isEqualTo(ExitCodes.ERROR);
    Path root = tree.toRealPath();
    assertThat(check.out())
        .contains("lucene:   DAMAGED")
        .contains("cannot fix this")
        .contains("mv " + index + " " + root + ".quarry-damaged")
        .contains("quarry index " + root);
    assertThat(check.out()).doesNotContain("repair:");
  }

  @Test
  void anIndexBeingWrittenIsExitCodeFourWithWhatToDo() throws Exception {
    try (QuarryIndex writing = QuarryIndex.openForWriting(index)) {
      assertThat(writing.hasUncommittedChanges()).isFalse();
      Run check = quarry("check", "--index", tree.toString());
      assertThat(check.exit()).isEqualTo(ExitCodes.ERROR);
      assertThat(check.err())
          .contains("is being written by another Quarry run")
          .contains("pid " + ProcessHandle.current().pid())
          .contains("after it ends");
    }
  }
}
