package dev.quarry.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import dev.quarry.IndexDescription;
import dev.quarry.Quarry;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.ManifestVisitor;
import dev.quarry.store.RemoteStore;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "files",
    description = {
      "The indexed files, in path order: content hash, chunks, whether their vectors are in, path.",
      "With --json: each file's path, root, size, SHA-256, chunks, language and vector state."
    })
final class FilesCommand implements Callable<Integer> {
  /** Hex digits of the content hash shown in text output: enough to tell files apart by eye. */
  private static final int SHORT_HASH = 12;

  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get()) {
        return list(visitor -> Quarry.files(store, visitor), () -> Quarry.describe(store));
      }
    }
    Path dir = location.locate();
    return list(visitor -> Quarry.files(dir, visitor::visit), () -> Quarry.describe(dir));
  }

  /** Lists the files one source gives. */
  @FunctionalInterface
  private interface Listing {
    long forEach(ManifestVisitor visitor) throws java.io.IOException;
  }

  /** What the index says of itself (its roots and model), read only for the text listing. */
  @FunctionalInterface
  private interface Description {
    IndexDescription get() throws java.io.IOException;
  }

  private int list(Listing files, Description description) throws java.io.IOException {
    // Buffered, flushed once: the command's writer flushes on every line, a system call per file.
    PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut()));
    try {
      if (json.enabled) {
        SequenceWriter array = Json.arrayTo(out);
        files.forEach(entry -> array.write(toJson(entry)));
        array.close(); // not on failure: a listing cut short must not end as a valid array
        out.println();
      } else {
        IndexDescription index = description.get();
        // Without a model nothing will ever get vectors: "pending" on every line would mislead.
        boolean lexical = !index.hasVectors();
        // A relative path names a file only when there is one root.
        boolean oneRoot = index.roots().size() <= 1;
        files.forEach(entry -> out.println(line(entry, lexical, oneRoot)));
      }
    } finally {
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Columns padded by hand: String.format, parsing its pattern per line, doubled the time. */
  private static String line(ManifestEntry entry, boolean lexical, boolean oneRoot) {
    String hash =
        entry.contentHash().substring(0, Math.min(SHORT_HASH, entry.contentHash().length()));
    String chunks = Integer.toString(entry.chunkCount());
    String vectors = lexical ? "-" : vectorsComplete(entry) ? "✓" : "pending";
    StringBuilder line = new StringBuilder(SHORT_HASH + 16 + entry.file().length());
    line.append(hash).repeat(' ', SHORT_HASH - hash.length() + 1);
    line.repeat(' ', Math.max(0, 6 - chunks.length())).append(chunks).append(' ');
    line.append(vectors).repeat(' ', "pending".length() - vectors.length() + 1);
    // A name may hold a newline or a terminal escape: shown as text, one line per file stays.
    return line.append(TerminalText.safe(oneRoot ? entry.path() : entry.file())).toString();
  }

  /**
   * One file of {@code files --json}.
   *
   * @param file the absolute path
   * @param path the path relative to its root
   * @param vectorsComplete whether every chunk of the file has its vector
   */
  record FileOutput(
      String file,
      String path,
      String root,
      long size,
      String contentHash,
      int chunks,
      String language,
      boolean vectorsComplete) {}

  private static FileOutput toJson(ManifestEntry entry) {
    return new FileOutput(
        entry.file(),
        entry.path(),
        entry.root(),
        entry.size(),
        entry.contentHash(),
        entry.chunkCount(),
        entry.language(),
        vectorsComplete(entry));
  }

  /** The manifest records a model only once every chunk of the file has its vector. */
  private static boolean vectorsComplete(ManifestEntry entry) {
    return !entry.model().isEmpty();
  }
}
