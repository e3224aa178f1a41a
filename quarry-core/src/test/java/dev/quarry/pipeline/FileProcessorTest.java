package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.extract.Extractor;
import dev.quarry.scan.ScannedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FileProcessorTest {
  private static final ScannedFile BOMB =
      new ScannedFile(Path.of("/tree"), Path.of("/tree/bomb.pdf"), "bomb.pdf", 4, 0, "key");

  // Issue 11, item 17 (found by bench/hostile-probe.sh): a 571 KB PDF listing a 290 MB content
  // stream four times ran the heap out; it failed alone, but "lower max-file-size" was no help.
  @Test
  @Tag("hostile")
  void aFileWhoseExtractionRunsOutOfMemoryFailsAloneSayingWhy() {
    Extractor exploding =
        (path, content) -> {
          throw new OutOfMemoryError("Java heap space");
        };
    FileProcessor processor =
        new FileProcessor(
            1 << 20,
            false,
            "model",
            "pipeline",
            exploding,
            (path, document) -> List.of(),
            (file, limit) -> "%PDF".getBytes(StandardCharsets.US_ASCII));

    FileWork work = processor.process(BOMB, null, -1);

    assertThat(work)
        .isEqualTo(
            new FileWork.NotIndexed(
                new FileOutcome.Failed(
                    "bomb.pdf",
                    "out of memory extracting its text: its content inflates far beyond its 4"
                        + " bytes on disk"),
                null));
  }
}
