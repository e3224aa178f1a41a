package dev.quarry.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quarry.scan.SkipReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PdfExtractionTest {

  private static final List<List<String>> THREE_PAGES =
      List.of(
          List.of("Quarry indexes file trees.", "Page one, second line."),
          List.of("Second page text."),
          List.of("Third page, line one.", "Third page, line two.", "Third page, line three."));

  private final Extractor extractor = Extractors.standard();

  @Test
  void extractsTextPageByPage() throws Exception {
    ExtractedDocument document = text("docs/report.pdf", TestPdfs.withPages(THREE_PAGES));

    assertThat(document.text())
        .isEqualTo(
            """
            Quarry indexes file trees.
            Page one, second line.
            Second page text.
            Third page, line one.
            Third page, line two.
            Third page, line three.\
            """);
    assertThat(document.pageStartLines()).containsExactly(1, 3, 4);
    assertThat(document.language()).isEqualTo("pdf");
    assertThat(document.charset()).isEqualTo("pdf");
    assertThat(document.replacedCharacters()).isZero();
    assertThat(document.pageOfLine(2)).isEqualTo(1);
    assertThat(document.pageOfLine(3)).isEqualTo(2);
    assertThat(document.pageOfLine(6)).isEqualTo(3);
  }

  @Test
  void blankPageInTheMiddleKeepsItsOwnLine() throws Exception {
    byte[] pdf =
        TestPdfs.withPages(List.of(List.of("Before the gap."), List.of(), List.of("After it.")));

    ExtractedDocument document = text("gap.pdf", pdf);

    assertThat(document.text()).isEqualTo("Before the gap.\n\nAfter it.");
    assertThat(document.pageStartLines()).containsExactly(1, 2, 3);
    assertThat(document.pageOfLine(3)).isEqualTo(3);
  }

  @Test
  void extensionIsCaseInsensitive() throws Exception {
    assertThat(text("SCAN.PDF", TestPdfs.withPages(THREE_PAGES)).pageStartLines()).hasSize(3);
  }

  @Test
  void pdfWithoutTextIsSkipped() throws Exception {
    assertThat(extractor.extract("scan.pdf", TestPdfs.imageOnly()))
        .isEqualTo(new Extraction.Skip(SkipReason.NO_TEXT));
  }

  @Test
  void userPasswordMeansEncrypted() {
    byte[] pdf = TestPdfs.encrypted(THREE_PAGES, "owner-secret", "user-secret", true);

    assertThatThrownBy(() -> extractor.extract("secret.pdf", pdf))
        .isInstanceOf(ExtractionException.class)
        .hasMessage("encrypted PDF (password required)");
  }

  @Test
  void ownerPasswordOnlyWithExtractionAllowedIsRead() throws Exception {
    byte[] pdf = TestPdfs.encrypted(THREE_PAGES, "owner-secret", "", true);

    assertThat(text("protected.pdf", pdf).text()).startsWith("Quarry indexes file trees.");
  }

  @Test
  void ownerPasswordForbiddingExtraction() {
    byte[] pdf = TestPdfs.encrypted(THREE_PAGES, "owner-secret", "", false);

    assertThatThrownBy(() -> extractor.extract("locked.pdf", pdf))
        .isInstanceOf(ExtractionException.class)
        .hasMessage("PDF forbids text extraction");
  }

  @Test
  void truncatedPdfIsCorrupt() {
    byte[] whole = TestPdfs.withPages(THREE_PAGES);
    // Just before "%%EOF" PDFBox could still rebuild the whole document: it must not be tried.
    int beforeEndMarker = whole.length - "%%EOF\n".length();
    for (int length : new int[] {beforeEndMarker, whole.length * 3 / 4, whole.length / 2, 16, 5}) {
      byte[] truncated = Arrays.copyOf(whole, length);

      Throwable thrown = catchThrowable(() -> extractor.extract("cut.pdf", truncated));

      assertThat(thrown)
          .as("truncated to %d of %d bytes", length, whole.length)
          .isInstanceOf(ExtractionException.class)
          .hasMessageStartingWith("corrupt PDF: ");
    }
  }

  @Test
  void randomBytesNamedPdfAreCorrupt() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] noise = new byte[10_000];
    random.nextBytes(noise);

    Throwable thrown = catchThrowable(() -> extractor.extract("noise.pdf", noise));

    assertThat(thrown)
        .as("seed %d", seed)
        .isInstanceOf(ExtractionException.class)
        .hasMessageStartingWith("corrupt PDF: ");
  }

  @Test
  void textFileNamedPdfIsCorrupt() {
    byte[] html = "<html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> extractor.extract("download.pdf", html))
        .isInstanceOf(ExtractionException.class)
        .hasMessage("corrupt PDF: not a PDF (no %PDF- header)");
  }

  @Test
  void pdfWithHeaderAndEndMarkerButNothingBetweenIsCorrupt() {
    byte[] hollow = "%PDF-1.7\ngarbage\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> extractor.extract("hollow.pdf", hollow))
        .isInstanceOf(ExtractionException.class)
        .hasMessageStartingWith("corrupt PDF: ");
  }

  @Test
  void damagedPdfNeverThrowsAnythingButExtractionException() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] whole = TestPdfs.withPages(THREE_PAGES);
    for (int round = 0; round < 200; round++) {
      byte[] damaged = whole.clone();
      int flips = 1 + random.nextInt(20);
      for (int i = 0; i < flips; i++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      int length = random.nextInt(4) == 0 ? random.nextInt(damaged.length) : damaged.length;
      byte[] input = Arrays.copyOf(damaged, length);

      Throwable thrown = catchThrowable(() -> extractor.extract("fuzz.pdf", input));

      if (thrown != null) {
        assertThat(thrown)
            .as("seed %d, round %d", seed, round)
            .isInstanceOf(ExtractionException.class);
      }
    }
  }

  private ExtractedDocument text(String path, byte[] content) throws ExtractionException {
    Extraction extraction = extractor.extract(path, content);
    assertThat(extraction).isInstanceOf(Extraction.Text.class);
    return ((Extraction.Text) extraction).document();
  }

  // Issue 11, item 17: a 0.8 MB PDF whose content stream inflates to ~290 MB of operators kept a
  // worker busy for 61 s. Extraction has a time limit; the clock here advances a millisecond each
  // time it is read, so the limit is reached after a known amount of work, whatever the machine.
  @Test
  @Tag("hostile")
  void aPdfThatTakesLongerThanTheTimeLimitIsSkippedWithItsReason() throws Exception {
    List<String> lines =
        java.util.stream.IntStream.range(0, 3_000).mapToObj(i -> "line " + i).toList();
    byte[] pdf = TestPdfs.withPages(List.of(lines));
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    java.util.function.LongSupplier ticking = () -> nanos.addAndGet(1_000_000);

    Extraction limited =
        new PdfBoxExtractor(java.time.Duration.ofSeconds(1), ticking).extract("big.pdf", pdf);
    Extraction unlimited =
        new PdfBoxExtractor(java.time.Duration.ofHours(1), ticking).extract("big.pdf", pdf);

    assertThat(limited).isEqualTo(new Extraction.Skip(dev.quarry.scan.SkipReason.TIME_LIMIT));
    assertThat(unlimited).isInstanceOf(Extraction.Text.class);
    assertThat(((Extraction.Text) unlimited).document().text()).contains("line 2999");
  }
}
