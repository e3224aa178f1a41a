package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.scan.ScanOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexOptionsTest {
  @Test
  void overlappingRootsAreRejectedBecauseEachFileMustBeScannedOnce() {
    Path outer = Path.of("/data/tree");
    Path inner = outer.resolve("sub");
    assertThatThrownBy(
            () ->
                IndexOptions.of(
                    List.of(outer, inner),
                    outer.resolve(".quarry"),
                    ScanOptions.defaults(),
                    false,
                    "all-minilm-l6-v2-q"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("root /data/tree/sub is inside root /data/tree; give only /data/tree");
    assertThatThrownBy(
            () ->
                IndexOptions.of(
                    List.of(outer, Path.of("/data/tree")),
                    outer.resolve(".quarry"),
                    ScanOptions.defaults(),
                    false,
                    "all-minilm-l6-v2-q"))
        .hasMessage("root /data/tree is given twice");
  }
}
