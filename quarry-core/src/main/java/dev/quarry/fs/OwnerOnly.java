package dev.quarry.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Folders (0700) and files (0600) only their owner can reach. Created with that mode from the start
 * (never a window where others could open them), so the process umask does not decide. On a file
 * system without POSIX permissions every operation falls back to the plain one, silently.
 */
public final class OwnerOnly {
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnly() {}

  /**
   * Creates {@code folder} owner-only unless it exists (then it is left as it is). Missing parents
   * are created with the default mode: they are the user's folders, not Quarry's.
   *
   * @return whether this call created it
   */
  public static boolean createFolder(Path folder) throws IOException {
    Path absolute = folder.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return false;
    }
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    try {
      if (posix(absolute.getParent())) {
        Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
      } else {
        Files.createDirectory(absolute);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(absolute)) {
        return false; // another process created it first
      }
      throw e;
    }
  }

  /** Creates {@code file} empty and owner-only unless it exists; returns whether it did. */
  public static boolean createFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    FileAttribute<?>[] mode =
        parent != null && posix(parent)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
            : new FileAttribute<?>[0];
    try {
      Files.createFile(file, mode);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * The permissions others (group and world) have on {@code path}, as {@code ls} shows them
   * ("rwxr-xr-x"), or empty when they have none or the file system has no POSIX permissions.
   */
  public static String othersAccess(Path path) throws IOException {
    PosixFileAttributeView view = view(path);
    if (view == null) {
      return "";
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    if (permissions.stream().noneMatch(OTHERS::contains)) {
      return "";
    }
    return PosixFilePermissions.toString(permissions);
  }

  /**
   * Takes every permission of others (group and world) away from {@code path} (0700 for a folder,
   * 0600 for a file, with the owner's own bits kept); returns whether it changed anything.
   */
  public static boolean restrict(Path path) throws IOException {
    PosixFileAttributeView view = view(path);
    if (view == null) {
      return false;
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
    kept.addAll(permissions);
    kept.removeAll(OTHERS);
    if (kept.size() == permissions.size()) {
      return false;
    }
    view.setPermissions(kept);
    return true;
  }

  private static PosixFileAttributeView view(Path path) {
    return Files.getFileAttributeView(path, PosixFileAttributeView.class);
  }

  private static boolean posix(Path existing) {
    return existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
