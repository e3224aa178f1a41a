package dev.quarry.extract;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.scan.SkipReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Text files through the public entry point: encodings, line ends, empty and binary content. */
class TextExtractionTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final String SAMPLE = "// café, naïve, Ωmega, 日本語, 😀\nint x = 1;\n";

  private final Extractor extractor = Extractors.standard();

  @Test
  void utf8() throws Exception {
    ExtractedDocument document = text("src/A.java", SAMPLE.getBytes(UTF_8));

    assertThat(document.text()).isEqualTo(SAMPLE);
    assertThat(document.charset()).isEqualTo("UTF-8");
    assertThat(document.language()).isEqualTo("java");
    assertThat(document.replacedCharacters()).isZero();
    assertThat(document.pageStartLines()).isEmpty();
    assertThat(document.pageOfLine(1)).isZero();
  }

  @Test
  void pureAsciiIsUtf8() throws Exception {
    ExtractedDocument document = text("notes.txt", "plain words\n".getBytes(UTF_8));

    assertThat(document.text()).isEqualTo("plain words\n");
    assertThat(document.charset()).isEqualTo("UTF-8");
    assertThat(document.language()).isEqualTo("text");
  }

  @Test
  void utf8ByteOrderMarkIsDropped() throws Exception {
    ExtractedDocument document =
        text("README.md", concat(bytes(0xEF, 0xBB, 0xBF), "# Título\n".getBytes(UTF_8)));

    assertThat(document.text()).isEqualTo("# Título\n");
    assertThat(document.charset()).isEqualTo("UTF-8");
    assertThat(document.language()).isEqualTo("markdown");
  }

  @Test
  void utf16LittleEndianWithByteOrderMark() throws Exception {
    ExtractedDocument document =
        text("a.txt", concat(bytes(0xFF, 0xFE), SAMPLE.getBytes(UTF_16LE)));

    assertThat(document.text()).isEqualTo(SAMPLE);
    assertThat(document.charset()).isEqualTo("UTF-16LE");
    assertThat(document.replacedCharacters()).isZero();
  }

  @Test
  void utf16BigEndianWithByteOrderMark() throws Exception {
    ExtractedDocument document =
        text("a.txt", concat(bytes(0xFE, 0xFF), SAMPLE.getBytes(UTF_16BE)));

    assertThat(document.text()).isEqualTo(SAMPLE);
    assertThat(document.charset()).isEqualTo("UTF-16BE");
  }

  @Test
  void utf32WithByteOrderMarks() throws Exception {
    Charset utf32le = Charset.forName("UTF-32LE");
    Charset utf32be = Charset.forName("UTF-32BE");

    ExtractedDocument little =
        text("a.txt", concat(bytes(0xFF, 0xFE, 0x00, 0x00), SAMPLE.getBytes(utf32le)));
    ExtractedDocument big =
        text("a.txt", concat(bytes(0x00, 0x00, 0xFE, 0xFF), SAMPLE.getBytes(utf32be)));

    assertThat(little.text()).isEqualTo(SAMPLE);
    assertThat(little.charset()).isEqualTo("UTF-32LE");
    assertThat(big.text()).isEqualTo(SAMPLE);
    assertThat(big.charset()).isEqualTo("UTF-32BE");
  }

  @Test
  void utf16LittleEndianWithoutByteOrderMark() throws Exception {
    String windowsLog = "[2024-01-01] Service started\r\n[2024-01-01] Listening on :8080\r\n";

    ExtractedDocument document = text("logs/service.log", windowsLog.getBytes(UTF_16LE));

    assertThat(document.text())
        .isEqualTo("[2024-01-01] Service started\n[2024-01-01] Listening on :8080\n");
    assertThat(document.charset()).isEqualTo("UTF-16LE");
  }

  @Test
  void utf16BigEndianWithoutByteOrderMark() throws Exception {
    ExtractedDocument document = text("a.txt", "hello, world\n".getBytes(UTF_16BE));

    assertThat(document.text()).isEqualTo("hello, world\n");
    assertThat(document.charset()).isEqualTo("UTF-16BE");
  }

  @Test
  void cyrillicUtf16WithoutByteOrderMark() throws Exception {
    String russian = "Привет, мир! Это проверка кодировки.\nВторая строка текста.\n";

    ExtractedDocument document = text("ru.txt", russian.getBytes(UTF_16LE));

    assertThat(document.text()).isEqualTo(russian);
    assertThat(document.charset()).isEqualTo("UTF-16LE");
  }

  @Test
  void invalidBytesInsideUtf8AreReplacedAndCounted() throws Exception {
    byte[] content =
        concat(
            "naïve café déjà vu — ".getBytes(UTF_8),
            bytes(0xFF, 0xC3), // a stray byte, then a lead byte without its continuation
            " and the rest: Ωmega 😀\n".getBytes(UTF_8));

    ExtractedDocument document = text("a.txt", content);

    assertThat(document.charset()).isEqualTo("UTF-8");
    assertThat(document.replacedCharacters()).isEqualTo(2);
    assertThat(document.text())
        .isEqualTo("naïve café déjà vu — \uFFFD\uFFFD and the rest: Ωmega 😀\n");
  }

  @Test
  void truncatedSequenceAtTheEndIsReplaced() throws Exception {
    byte[] content = concat("café ".getBytes(UTF_8), "é".getBytes(UTF_8), bytes(0xE2, 0x82));

    ExtractedDocument document = text("a.txt", content);

    assertThat(document.charset()).isEqualTo("UTF-8");
    assertThat(document.text()).isEqualTo("café é\uFFFD");
    assertThat(document.replacedCharacters()).isEqualTo(1);
  }

  @Test
  void windows1252Text() throws Exception {
    String legacy = "Le café est prêt. “Grüße” – 20 €\r\n";

    ExtractedDocument document = text("notes.txt", legacy.getBytes(WINDOWS_1252));

    assertThat(document.text()).isEqualTo("Le café est prêt. “Grüße” – 20 €\n");
    assertThat(document.charset()).isEqualTo("windows-1252");
    assertThat(document.replacedCharacters()).isZero();
  }

  @Test
  void latin1CafeIsWindows1252() throws Exception {
    ExtractedDocument document = text("a.txt", bytes('c', 'a', 'f', 0xE9));

    assertThat(document.text()).isEqualTo("café");
    assertThat(document.charset()).isEqualTo("windows-1252");
  }

  @Test
  void windows1252WithAChanceUtf8PairStaysWindows1252() throws Exception {
    // "ß“" is DF 93 in windows-1252, which is also a valid 2-byte UTF-8 sequence.
    String german = "Viele Grüße aus Köln, „Gruß“, schöne Tage\n";

    ExtractedDocument document = text("a.txt", german.getBytes(WINDOWS_1252));

    assertThat(document.text()).isEqualTo(german);
    assertThat(document.charset()).isEqualTo("windows-1252");
  }

  @Test
  void crLfAndLoneCrBecomeLf() throws Exception {
    ExtractedDocument document = text("a.txt", "one\r\ntwo\rthree\n\r\nfour\r".getBytes(UTF_8));

    assertThat(document.text()).isEqualTo("one\ntwo\nthree\n\nfour\n");
  }

  @Test
  void otherwiseTextIsKeptAsIs() throws Exception {
    String text = "  leading spaces\n\ttab\u000cform feed\n\n\ntrailing  ";

    assertThat(text("a.txt", text.getBytes(UTF_8)).text()).isEqualTo(text);
  }

  @Test
  void emptyFileIsSkipped() throws Exception {
    assertThat(extractor.extract("empty.java", new byte[0]))
        .isEqualTo(new Extraction.Skip(SkipReason.EMPTY));
    assertThat(extractor.extract("empty.pdf", new byte[0]))
        .isEqualTo(new Extraction.Skip(SkipReason.EMPTY));
  }

  @Test
  void fileWithOnlyAByteOrderMarkIsEmpty() throws Exception {
    assertThat(extractor.extract("a.txt", bytes(0xEF, 0xBB, 0xBF)))
        .isEqualTo(new Extraction.Skip(SkipReason.EMPTY));
  }

  @Test
  void pngRenamedToJavaIsBinary() throws Exception {
    byte[] png =
        concat(
            bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A),
            bytes(0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R', 0x00, 0x00, 0x01, 0x00));

    assertThat(extractor.extract("src/Main.java", png))
        .isEqualTo(new Extraction.Skip(SkipReason.BINARY));
  }

  @Test
  void randomBytesWithTextExtensionAreBinary() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int size : new int[] {1024, 4096, 100_000}) {
      byte[] noise = new byte[size];
      random.nextBytes(noise);

      assertThat(extractor.extract("notes.txt", noise))
          .as("seed %d, %d random bytes", seed, size)
          .isEqualTo(new Extraction.Skip(SkipReason.BINARY));
    }
  }

  @Test
  void randomBytesWithoutNulAreStillBinary() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] noise = new byte[2048];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (byte) (1 + random.nextInt(255));
    }

    assertThat(extractor.extract("notes.txt", noise))
        .as("seed %d", seed)
        .isEqualTo(new Extraction.Skip(SkipReason.BINARY));
  }

  @Test
  void nulInTheFirst8000BytesIsBinary() throws Exception {
    byte[] content = "text that then holds a NUL".repeat(400).getBytes(UTF_8);
    content[7000] = 0;

    assertThat(extractor.extract("a.txt", content))
        .isEqualTo(new Extraction.Skip(SkipReason.BINARY));
  }

  @Test
  void nulAfterThe8000thByteIsKept() throws Exception {
    byte[] content = "a".repeat(9000).getBytes(UTF_8);
    content[8500] = 0;

    ExtractedDocument document = text("a.txt", content);

    assertThat(document.text()).hasSize(9000);
    assertThat(document.text().charAt(8500)).isEqualTo('\0');
  }

  @Test
  void binaryWithNulsAtBothParitiesIsNotMistakenForUtf16() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 500; i++) {
      out.write(i & 0xFF); // little-endian 32-bit integers: zeros in both halves of each pair
      out.write(0);
      out.write(0);
      out.write(0);
    }

    assertThat(extractor.extract("data.txt", out.toByteArray()))
        .isEqualTo(new Extraction.Skip(SkipReason.BINARY));
  }

  @Test
  void ansiColouredLogIsText() throws Exception {
    String log = "\u001b[32mINFO\u001b[0m started\n\u001b[31mERROR\u001b[0m failed\u0007\n";

    assertThat(text("build.log", log.getBytes(UTF_8)).text()).isEqualTo(log);
  }

  private ExtractedDocument text(String path, byte[] content) throws ExtractionException {
    Extraction extraction = extractor.extract(path, content);
    assertThat(extraction).isInstanceOf(Extraction.Text.class);
    return ((Extraction.Text) extraction).document();
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
