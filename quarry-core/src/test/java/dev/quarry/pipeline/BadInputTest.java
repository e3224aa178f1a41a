package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.quarry.scan.SkipReason;
import dev.quarry.search.SearchMode;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input in one tree: each gets a counted outcome with a clear reason, the run
 * finishes, and the good files are indexed and searchable.
 */
class BadInputTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void badInputIsCountedAndNothingElseIsDisturbed() throws Exception {
    Files.writeString(tree.resolve("good.txt"), "The lighthouse keeper logs every passing ship.\n");
    byte[] binary = new byte[512];
    new Random(42).nextBytes(binary);
    binary[10] = 0;
    Files.write(tree.resolve("binary.txt"), binary);
    Files.write(
        tree.resolve("invalid-utf8.txt"),
        concat(
            "Harbour pilots guide ".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xC3, (byte) 0x28},
            " vessels safely.\n".getBytes(StandardCharsets.UTF_8)));
    Files.write(
        tree.resolve("utf16.txt"),
        concat(
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            "Tidal charts for sailors.\n".getBytes(StandardCharsets.UTF_16LE)));
    Files.write(tree.resolve("empty.txt"), new byte[0]);
    Files.writeString(tree.resolve("huge.txt"), "x".repeat(5000));
    sh("mkfifo '" + tree.resolve("pipe.txt") + "'");
    ServerSocketChannel socket = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    socket.bind(UnixDomainSocketAddress.of(tree.resolve("socket.sock")));
    Files.createDirectories(tree.resolve("loop"));
    Files.createSymbolicLink(tree.resolve("loop/back"), tree);
    Files.createSymbolicLink(tree.resolve("dangling.txt"), tree.resolve("missing-target.txt"));
    Files.writeString(tree.resolve("with spaces.txt"), "Anchors and chains.\n");
    Files.writeString(tree.resolve("new\nline.txt"), "Buoys mark the channel.\n");
    sh("printf 'bad name\\n' > '" + tree + "'/\"$(printf 'caf\\351.txt')\"");
    Files.writeString(tree.resolve("locked.txt"), "Unreadable content.\n");
    Files.writeString(tree.resolve("vanishing.txt"), "Here one moment.\n");
    Files.write(
        tree.resolve("corrupt.pdf"),
        "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage".getBytes(StandardCharsets.US_ASCII));
    Files.write(tree.resolve("encrypted.pdf"), encryptedPdf());

    PipelineFixture fixture = new PipelineFixture(tree, indexDir);
    fixture.embed = false;
    fixture.scan = fixture.scan.withMaxFileSize(1024);
    // The suite runs as root, where chmod cannot make a file unreadable: the reader seam raises
    // what
    // the file system would. It also deletes a file between the scan and the read.
    fixture.reader =
        (file, limit) -> {
          if (file.relativePath().equals("locked.txt")) {
            throw new AccessDeniedException(file.path().toString());
          }
          if (file.relativePath().equals("vanishing.txt")) {
            Files.delete(file.path());
          }
          try (var in = Files.newInputStream(file.path())) {
            return in.readNBytes((int) limit);
          }
        };

    PipelineFixture.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), fixture::run);
    socket.close();

    Map<String, String> outcomes =
        result.outcomes().stream()
            .collect(
                Collectors.toMap(
                    FileOutcome::path, BadInputTest::describe, (a, b) -> a + " & " + b));
    assertThat(outcomes)
        .containsEntry("good.txt", "indexed")
        .containsEntry("invalid-utf8.txt", "indexed")
        .containsEntry("utf16.txt", "indexed")
        .containsEntry("with spaces.txt", "indexed")
        .containsEntry("new\nline.txt", "indexed")
        .containsEntry("binary.txt", "skipped BINARY")
        .containsEntry("empty.txt", "skipped EMPTY")
        .containsEntry("huge.txt", "skipped TOO_LARGE")
        .containsEntry("pipe.txt", "skipped SPECIAL_FILE")
        .containsEntry("socket.sock", "skipped SPECIAL_FILE")
        .containsEntry("loop/back", "skipped SYMLINK")
        .containsEntry("dangling.txt", "skipped SYMLINK")
        .containsEntry("locked.txt", "failed permission denied")
        .containsEntry("vanishing.txt", "failed deleted while the run was reading the tree");
    assertThat(outcomes.get("corrupt.pdf")).startsWith("failed").containsIgnoringCase("corrupt");
    assertThat(outcomes.get("encrypted.pdf"))
        .startsWith("failed")
        .containsIgnoringCase("encrypted");
    assertThat(outcomes.entrySet())
        .anySatisfy(
            e -> {
              assertThat(e.getKey()).startsWith("caf");
              assertThat(e.getValue()).isEqualTo("skipped " + SkipReason.UNREPRESENTABLE_NAME);
            });
    assertThat(result.outcomes()).hasSize(17);
    RunSummary s = result.summary();
    assertThat(s.filesIndexed()).isEqualTo(5);
    assertThat(s.filesFailed()).isEqualTo(4);
    assertThat(s.filesSkipped()).isEqualTo(8);
    assertThat(s.failures())
        .extracting(FileOutcome.Failed::path)
        .containsExactlyInAnyOrder("locked.txt", "vanishing.txt", "corrupt.pdf", "encrypted.pdf");

    assertThat(fixture.paths(fixture.search("lighthouse", SearchMode.LEXICAL, 5)))
        .containsExactly("good.txt");
    assertThat(fixture.paths(fixture.search("vessels", SearchMode.LEXICAL, 5)))
        .containsExactly("invalid-utf8.txt");
    assertThat(fixture.paths(fixture.search("tidal", SearchMode.LEXICAL, 5)))
        .containsExactly("utf16.txt");
    assertThat(fixture.paths(fixture.search("buoys", SearchMode.LEXICAL, 5)))
        .containsExactly("new\nline.txt");
  }

  private static String describe(FileOutcome o) {
    return switch (o) {
      case FileOutcome.Indexed i -> "indexed";
      case FileOutcome.Unchanged u -> "unchanged";
      case FileOutcome.Deleted d -> "deleted";
      case FileOutcome.Skipped s -> "skipped " + s.reason();
      case FileOutcome.Failed f -> "failed " + f.cause();
    };
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    assertThat(p.waitFor()).as(command).isZero();
  }

  private static byte[] encryptedPdf() throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.newLineAtOffset(72, 700);
        content.showText("Secret sailing routes");
        content.endText();
      }
      StandardProtectionPolicy policy =
          new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }
}
