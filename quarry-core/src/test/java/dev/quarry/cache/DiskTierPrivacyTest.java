package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk cache holds what was embedded of every indexed file, restricted ones included: its
 * folder, database and SQLite's journal files are its owner's alone, whatever the umask.
 */
class DiskTierPrivacyTest {
  @TempDir Path temp;
  Path home;

  @BeforeEach
  void aHomeOthersCanEnter() throws IOException {
    Assumptions.assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions");
    // JUnit's folder is 0700: below it nobody reaches anything whatever the cache's own mode.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = Files.createDirectory(temp.resolve("home"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  // Issue 11, item 3: ~/.cache/quarry was 0755 and embeddings.db 0644, its journals alike.
  @Test
  @Tag("hostile")
  void theCacheFolderDatabaseAndJournalsAreOwnerOnly() throws Exception {
    Path folder = home.resolve(".cache/quarry");
    Path db = folder.resolve("embeddings.db");
    try (DiskTier disk = DiskTier.open(db, DiskTier.DEFAULT_MAX_BYTES)) {
      disk.putAll(TieredVectorCacheTest.MODEL, TieredVectorCacheTest.vectors(3));
      assertThat(mode(folder)).isEqualTo("rwx------");
      for (String name : List.of("embeddings.db", "embeddings.db-wal", "embeddings.db-shm")) {
        assertThat(mode(folder.resolve(name))).as(name).isEqualTo("rw-------");
      }
      // ~/.cache was missing too: created with the default mode, it is the user's folder.
      assertThat(mode(home.resolve(".cache"))).isNotEqualTo("rwx------");
      if (canRunAsNobody()) {
        assertThat(asNobody("ls", home.resolve(".cache").toString())).isZero(); // the control
        assertThat(asNobody("ls", folder.toString())).isNotZero();
        assertThat(asNobody("cat", db.toString())).isNotZero();
      }
    }
  }

  // Issue 11, item 3: a cache an older Quarry left readable by others is made owner-only when it is
  // next opened; the folder, which existed, keeps its mode.
  @Test
  @Tag("hostile")
  void aDatabaseOpenToOthersIsMadeOwnerOnly() throws Exception {
    Path db = home.resolve("embeddings.db");
    try (DiskTier disk = DiskTier.open(db, DiskTier.DEFAULT_MAX_BYTES)) {
      disk.putAll(TieredVectorCacheTest.MODEL, TieredVectorCacheTest.vectors(3));
    }
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    try (DiskTier disk = DiskTier.open(db, DiskTier.DEFAULT_MAX_BYTES)) {
      assertThat(disk.getAll(TieredVectorCacheTest.MODEL, List.of("hash1"))).hasSize(1);
      disk.putAll(TieredVectorCacheTest.MODEL, TieredVectorCacheTest.vectors(5));
      assertThat(mode(db)).isEqualTo("rw-------");
      assertThat(mode(home.resolve("embeddings.db-wal"))).isEqualTo("rw-------");
    }
    assertThat(mode(home)).isEqualTo("rwxr-xr-x");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static boolean canRunAsNobody() {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/setpriv"));
  }

  /** The exit status of {@code command} run as the user nobody, with no groups. */
  private static int asNobody(String... command) throws IOException, InterruptedException {
    List<String> line =
        new java.util.ArrayList<>(
            List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    line.addAll(List.of(command));
    Process process =
        new ProcessBuilder(line)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", line) + " did not finish in 30 s");
    }
    return process.exitValue();
  }
}
