package dev.quarry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.fs.OwnerOnly;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code server.json} in the index folder while a server serves it ({@code url}, {@code pid},
 * {@code started}), so that other commands can find the server. Owner-only (0600): it says where a
 * server that may hold a token listens. One whose process is dead is stale and overwritten.
 */
final class ServerFile {
  static final String NAME = "server.json";

  /** What the file says. */
  record Contents(String url, long pid, Instant started) {}

  private final Path file;

  private ServerFile(Path file) {
    this.file = file;
  }

  static ServerFile in(Path indexDir) {
    return new ServerFile(indexDir.resolve(NAME));
  }

  Path path() {
    return file;
  }

  /** The server a live process says it runs, if the file names one other than this process. */
  Optional<Contents> liveOther() {
    Optional<Contents> read = read();
    return read.filter(
        c ->
            c.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  Optional<Contents> read() {
    try {
      JsonNode node = QuarryJson.MAPPER.readTree(Files.readAllBytes(file));
      return Optional.of(
          new Contents(
              node.path("url").asText(),
              node.path("pid").asLong(-1),
              Instant.parse(node.path("started").asText())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // absent or unreadable: nothing serves from it
    }
  }

  /** Writes it for this process: to a new owner-only file first, then moved in place. */
  void write(URI url, Instant started) throws IOException {
    Contents contents = new Contents(url.toString(), ProcessHandle.current().pid(), started);
    // Before a new index's first run: its folder, owner-only as the index makes it.
    OwnerOnly.createFolder(file.getParent());
    Path temporary = file.resolveSibling(NAME + "." + contents.pid() + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temporary);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot write " + temporary + ": it appeared meanwhile", e);
    }
    Files.write(temporary, QuarryJson.MAPPER.writeValueAsBytes(contents));
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes it if it is this process's (a later server may have replaced a stale one). */
  void deleteIfOurs() {
    if (read().map(c -> c.pid() == ProcessHandle.current().pid()).orElse(false)) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Left behind: its pid is dead once this process ends, so it reads as stale.
      }
    }
  }
}
