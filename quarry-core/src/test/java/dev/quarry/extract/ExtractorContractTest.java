package dev.quarry.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link Extractor} contract for the standard extractor: any bytes under any name give a
 * result, or an {@link ExtractionException} for a format that can be unreadable (PDF), never any
 * other exception; and it is safe to share between threads.
 */
class ExtractorContractTest {

  private static final List<String> PATHS =
      List.of("src/Main.java", "notes.txt", "README.md", "Makefile", "data", "doc.pdf");

  private static final List<Charset> CHARSETS =
      List.of(
          StandardCharsets.UTF_8,
          StandardCharsets.UTF_16LE,
          StandardCharsets.UTF_16BE,
          StandardCharsets.ISO_8859_1,
          Charset.forName("windows-1252"),
          Charset.forName("UTF-32LE"));

  private final Extractor extractor = Extractors.standard();

  @Test
  void anyBytesGiveAResultOrAnExtractionException() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 2_000; round++) {
      String path = PATHS.get(random.nextInt(PATHS.size()));
      byte[] content = randomContent(random);

      Extraction result = null;
      Throwable thrown = null;
      try {
        result = extractor.extract(path, content);
      } catch (Throwable t) {
        thrown = t;
      }

      String context =
          "seed %d, round %d, %s, %d bytes".formatted(seed, round, path, content.length);
      if (thrown != null) {
        assertThat(path).as(context).endsWith(".pdf");
        assertThat(thrown).as(context).isInstanceOf(ExtractionException.class);
      } else {
        assertThat(result).as(context).isNotNull();
        if (result instanceof Extraction.Text text) {
          assertThat(text.document().text()).as(context).doesNotContain("\r");
          assertThat(text.document().replacedCharacters()).as(context).isNotNegative();
        }
      }
    }
  }

  @Test
  void sharedAcrossThreadsGivesTheSameResultsAsAlone() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> paths = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      paths.add(PATHS.get(random.nextInt(PATHS.size())));
      contents.add(randomContent(random));
    }
    paths.add("report.pdf");
    contents.add(TestPdfs.withPages(List.of(List.of("one"), List.of("two"))));

    List<String> alone = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      alone.add(outcome(paths.get(i), contents.get(i)));
    }

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Callable<List<String>> run =
            () -> {
              List<String> outcomes = new ArrayList<>();
              for (int i = 0; i < paths.size(); i++) {
                outcomes.add(outcome(paths.get(i), contents.get(i)));
              }
              return outcomes;
            };
        runs.add(pool.submit(run));
      }
      for (Future<List<String>> run : runs) {
        assertThat(run.get()).as("seed %d", seed).isEqualTo(alone);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private String outcome(String path, byte[] content) {
    try {
      return extractor.extract(path, content).toString();
    } catch (ExtractionException e) {
      return "failed: " + e.getMessage();
    }
  }

  /** Random bytes, or random text in a random encoding, sometimes with a PDF header. */
  private static byte[] randomContent(Random random) {
    int length = random.nextInt(10) == 0 ? 0 : random.nextInt(3_000);
    switch (random.nextInt(3)) {
      case 0 -> {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
      }
      case 1 -> {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
          int codePoint =
              random.nextInt(4) == 0 ? random.nextInt(0x30000) : ' ' + random.nextInt(95);
          if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
            text.appendCodePoint(codePoint);
          }
          if (random.nextInt(40) == 0) {
            text.append(random.nextBoolean() ? "\r\n" : "\n");
          }
        }
        return text.toString().getBytes(CHARSETS.get(random.nextInt(CHARSETS.size())));
      }
      default -> {
        byte[] bytes = new byte[length + 16];
        random.nextBytes(bytes);
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        byte[] end = "%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(end, 0, bytes, bytes.length - end.length, end.length);
        return bytes;
      }
    }
  }
}
