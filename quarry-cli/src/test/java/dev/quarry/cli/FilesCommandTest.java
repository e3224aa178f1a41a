package dev.quarry.cli;

import static dev.quarry.cli.QuarryCliTest.quarry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.cli.QuarryCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'quarry files': every indexed file in path order, as text and as JSON. */
class FilesCommandTest {
  @TempDir Path tree;
  @TempDir Path otherIndex;
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void tree() throws Exception {
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(tree.resolve("src/Main.java"), "class Main {\n  void launchRocket() {}\n}\n");
    Files.writeString(
        tree.resolve("README.md"), "# Rockets\n\nHow to launch.\n\n## Safety\n\nCarefully.\n");
    Files.writeString(tree.resolve("notes.txt"), "fuel, oxidiser\n");
    assertThat(quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void jsonListsEveryFileInPathOrderWithFullValues() throws Exception {
    Run files = quarry("files", "--json", "--index", tree.toString());
    assertThat(files.exit()).as(files.err()).isZero();
    JsonNode list = json.readTree(files.out());
    assertThat(list)
        .extracting(f -> f.get("path").asText())
        .containsExactly("README.md", "notes.txt", "src/Main.java");
    Path root = tree.toRealPath();
    for (JsonNode f : list) {
      Path file = root.resolve(f.get("path").asText());
      assertThat(f.get("file").asText()).isEqualTo(file.toString());
      assertThat(f.get("root").asText()).isEqualTo(root.toString());
      assertThat(f.get("size").asLong()).isEqualTo(Files.size(file));
      assertThat(f.get("contentHash").asText()).isEqualTo(sha256(file));
      assertThat(f.get("vectorsComplete").asBoolean()).isFalse(); // --no-embed
    }
    assertThat(list.get(0).get("chunks").asInt()).isEqualTo(2); // two sections
    assertThat(list.get(0).get("language").asText()).isEqualTo("markdown");
    assertThat(list.get(2).get("chunks").asInt()).isEqualTo(1);
    assertThat(list.get(2).get("language").asText()).isEqualTo("java");
  }

  @Test
  void jsonIsTheSameForTwoIndexesOfTheSameTree() throws Exception {
    assertThat(
            quarry(
                    "index",
                    tree.toString(),
                    "--no-embed",
                    "-q",
                    "--workers",
                    "1",
                    "--index",
                    otherIndex.toString())
                .exit())
        .isZero();
    String first = quarry("files", "--json", "--index", tree.toString()).out();
    assertThat(quarry("files", "--json", "--index", otherIndex.toString()).out()).isEqualTo(first);
    assertThat(quarry("files", "--json", "--index", tree.toString()).out()).isEqualTo(first);
  }

  @Test
  void textIsOneLinePerFileWithShortHashChunksAndVectorState() throws Exception {
    Run files = quarry("files", "--index", tree.toString());
    assertThat(files.exit()).as(files.err()).isZero();
    String readmeHash = sha256(tree.resolve("README.md")).substring(0, 12);
    assertThat(files.out().lines())
        .containsExactly(
            readmeHash + "      2 -       README.md",
            sha256(tree.resolve("notes.txt")).substring(0, 12) + "      1 -       notes.txt",
            sha256(tree.resolve("src/Main.java")).substring(0, 12)
                + "      1 -       src/Main.java");
  }

  @Test
  void anIndexThatIsNotThereIsExitCodeThree() {
    Run files = quarry("files", "--index", tree.resolve("nowhere").toString());
    assertThat(files.exit()).isEqualTo(ExitCodes.NO_INDEX);
    assertThat(files.err()).contains("no Quarry index at");
  }
}
