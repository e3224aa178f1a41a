package dev.quarry.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.scan.SkipReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class ExtractorsTest {
  private final Extractor extractor = Extractors.standard();

  private ExtractedDocument text(String path, byte[] content) throws ExtractionException {
    Extraction e = extractor.extract(path, content);
    assertThat(e).isInstanceOf(Extraction.Text.class);
    return ((Extraction.Text) e).document();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void languagesComeFromNamesAndExtensions() {
    assertThat(Languages.of("src/Main.java")).isEqualTo("java");
    assertThat(Languages.of("a/b/script.PY")).isEqualTo("python");
    assertThat(Languages.of("README.md")).isEqualTo("markdown");
    assertThat(Languages.of("docs/paper.pdf")).isEqualTo("pdf");
    assertThat(Languages.of("Dockerfile")).isEqualTo("dockerfile");
    assertThat(Languages.of("include/x.hpp")).isEqualTo("cpp");
    assertThat(Languages.of("notes")).isEqualTo("text");
    assertThat(Languages.of(".bashrc")).isEqualTo("text");
    assertThat(Languages.isCode("java")).isTrue();
    assertThat(Languages.isCode("markdown")).isFalse();
  }

  @Test
  void utf8WithAndWithoutBom() throws Exception {
    ExtractedDocument plain = text("a.txt", "héllo wörld\n".getBytes(StandardCharsets.UTF_8));
    assertThat(plain.text()).isEqualTo("héllo wörld\n");
    assertThat(plain.charset()).isEqualTo("UTF-8");
    ExtractedDocument bom = text("a.txt", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "héllo".getBytes(StandardCharsets.UTF_8)));
    assertThat(bom.text()).isEqualTo("héllo");
    assertThat(bom.replacedCharacters()).isZero();
  }

  @Test
  void utf16AndUtf32WithBoms() throws Exception {
    assertThat(text("a.txt", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "tide ü".getBytes(StandardCharsets.UTF_16LE))).text())
        .isEqualTo("tide ü");
    assertThat(text("a.txt", concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "tide ü".getBytes(StandardCharsets.UTF_16BE))).text())
        .isEqualTo("tide ü");
    ExtractedDocument utf32 = text("a.txt", concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
        "tide".getBytes(Charset.forName("UTF-32LE"))));
    assertThat(utf32.text()).isEqualTo("tide");
    assertThat(utf32.charset()).isEqualTo("UTF-32LE");
  }

  @Test
  void bomLessUtf16IsRecognisedNotCalledBinary() throws Exception {
    ExtractedDocument doc = text("a.txt", "plain ascii text in utf-16\n".getBytes(StandardCharsets.UTF_16LE));
    assertThat(doc.text()).isEqualTo("plain ascii text in utf-16\n");
    assertThat(doc.charset()).isEqualTo("UTF-16LE");
  }

  @Test
  void invalidUtf8IsReplacedAndCountedTheRestIntact() throws Exception {
    byte[] bytes = concat("naïve start ".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28},
        " end ".repeat(50).getBytes(StandardCharsets.UTF_8), "ü".repeat(200).getBytes(StandardCharsets.UTF_8));
    ExtractedDocument doc = text("a.txt", bytes);
    assertThat(doc.charset()).isEqualTo("UTF-8");
    assertThat(doc.replacedCharacters()).isEqualTo(1);
    assertThat(doc.text()).startsWith("naïve start \uFFFD( end");
  }

  @Test
  void latin1TextFallsBackToWindows1252() throws Exception {
    ExtractedDocument doc = text("a.txt", "café crème brûlée – déjà vu\n".getBytes(Charset.forName("windows-1252")));
    assertThat(doc.text()).isEqualTo("café crème brûlée – déjà vu\n");
    assertThat(doc.charset()).isEqualTo("windows-1252");
    assertThat(doc.replacedCharacters()).isZero();
  }

  @Test
  void lineEndsAreNormalised() throws Exception {
    assertThat(text("a.txt", "one\r\ntwo\rthree\n".getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void emptyAndBinaryAreSkipped() throws Exception {
    assertThat(extractor.extract("a.txt", new byte[0])).isEqualTo(new Extraction.Skip(SkipReason.EMPTY));
    byte[] png = new byte[2048];
    new Random(7).nextBytes(png);
    png[0] = (byte) 0x89;
    png[100] = 0;
    assertThat(extractor.extract("Image.java", png)).isEqualTo(new Extraction.Skip(SkipReason.BINARY));
  }

  @Test
  void arbitraryBytesNeverThrow() throws Exception {
    Random random = new Random(12345);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[random.nextInt(64) + 1];
      random.nextBytes(bytes);
      Extraction e = extractor.extract("fuzz.txt", bytes);
      assertThat(e).as("seed 12345 iteration %d: %s", i, Arrays.toString(bytes)).isNotNull();
    }
  }

  @Test
  void pdfTextKeepsPageNumbers() throws Exception {
    ExtractedDocument doc = text("paper.pdf", pdf(null, "First page about tides", "Second page about currents"));
    assertThat(doc.language()).isEqualTo("pdf");
    assertThat(doc.text()).contains("First page about tides").contains("Second page about currents");
    assertThat(doc.pageStartLines()).hasSize(2).startsWith(1);
    int secondPageLine = doc.pageStartLines().get(1);
    String[] lines = doc.text().split("\n", -1);
    assertThat(lines[secondPageLine - 1]).contains("Second page");
    assertThat(doc.pageOfLine(secondPageLine)).isEqualTo(2);
    assertThat(doc.pageOfLine(1)).isEqualTo(1);
  }

  @Test
  void encryptedCorruptAndImageOnlyPdfs() throws Exception {
    byte[] encrypted = pdf("user-password", "secret");
    assertThatThrownBy(() -> extractor.extract("e.pdf", encrypted))
        .isInstanceOf(ExtractionException.class).hasMessageContaining("encrypted");
    byte[] good = pdf(null, "some text");
    byte[] truncated = Arrays.copyOf(good, good.length / 3);
    assertThatThrownBy(() -> extractor.extract("t.pdf", truncated))
        .isInstanceOf(ExtractionException.class).hasMessageContaining("corrupt");
    byte[] noise = new byte[1000];
    new Random(3).nextBytes(noise);
    assertThatThrownBy(() -> extractor.extract("n.pdf", noise))
        .isInstanceOf(ExtractionException.class).hasMessageContaining("corrupt");
    assertThat(extractor.extract("blank.pdf", pdf(null))).isEqualTo(new Extraction.Skip(SkipReason.NO_TEXT));
  }

  @Test
  void ownerRestrictedPdfIsStillRead() throws Exception {
    byte[] restricted = pdf("", "readable despite restrictions");
    assertThat(text("r.pdf", restricted).text()).contains("readable despite restrictions");
  }

  /** A PDF with one page per text; encrypted with {@code userPassword} when not null. */
  static byte[] pdf(String userPassword, String... pages) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      for (String pageText : pages.length == 0 ? new String[] {null} : pages) {
        PDPage page = new PDPage();
        doc.addPage(page);
        if (pageText != null) {
          try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
            content.beginText();
            content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
            content.newLineAtOffset(72, 700);
            content.showText(pageText);
            content.endText();
          }
        }
      }
      if (userPassword != null) {
        AccessPermission permissions = new AccessPermission();
        permissions.setCanExtractContent(false);
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", userPassword, permissions);
        policy.setEncryptionKeyLength(128);
        doc.protect(policy);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void pageOfLineWithoutPagesIsZero() {
    assertThat(new ExtractedDocument("a\nb", "text", List.of(), "UTF-8", 0).pageOfLine(2)).isZero();
  }
}
