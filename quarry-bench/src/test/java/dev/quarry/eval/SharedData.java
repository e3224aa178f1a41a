package dev.quarry.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared/data} (never copied into the repository). */
final class SharedData {
  private SharedData() {}

  static Path dataSet(String name) {
    String shared = System.getProperty("quarry.shared.dir", "../shared");
    Path dir = Path.of(shared, "data", name).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "evaluation data "
              + dir
              + " is missing: the shared/ folder must sit beside the repository");
    }
    return dir;
  }
}
