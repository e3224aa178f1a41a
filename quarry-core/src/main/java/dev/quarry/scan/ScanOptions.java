package dev.quarry.scan;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to walk the tree.
 *
 * @param maxFileSize files larger than this many bytes are skipped as {@link SkipReason#TOO_LARGE}
 * @param followSymlinks whether to follow symbolic links (loops are always detected and skipped)
 * @param excludedDirectory a directory never walked (the index itself when it lives in the tree)
 * @param globalExcludesFile the user's global git excludes file; empty to look it up the way git
 *     does (core.excludesFile in ~/.gitconfig, else $XDG_CONFIG_HOME/git/ignore or
 *     ~/.config/git/ignore)
 * @param parallelism threads walking directories at once; 1 reports entries in a fixed order
 * @param lister lists each directory of the walk; empty for the file system's listing in name order
 *     (a seam: tests make directories unreadable or vanish, even as root)
 */
public record ScanOptions(
    long maxFileSize,
    boolean followSymlinks,
    Optional<Path> excludedDirectory,
    Optional<Path> globalExcludesFile,
    int parallelism,
    Optional<TreeScanner.DirectoryLister> lister) {

  /**
   * Default size cap: large enough for any hand-written source file, small enough to skip dumps.
   */
  public static final long DEFAULT_MAX_FILE_SIZE = 4L * 1024 * 1024;

  public ScanOptions {
    if (maxFileSize <= 0) {
      throw new IllegalArgumentException("maxFileSize must be positive, got " + maxFileSize);
    }
    Objects.requireNonNull(excludedDirectory, "excludedDirectory");
    Objects.requireNonNull(globalExcludesFile, "globalExcludesFile");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    Objects.requireNonNull(lister, "lister");
  }

  public static ScanOptions defaults() {
    return new ScanOptions(
        DEFAULT_MAX_FILE_SIZE,
        false,
        Optional.empty(),
        Optional.empty(),
        Runtime.getRuntime().availableProcessors(),
        Optional.empty());
  }

  public ScanOptions withExcludedDirectory(Path dir) {
    return new ScanOptions(
        maxFileSize, followSymlinks, Optional.of(dir), globalExcludesFile, parallelism, lister);
  }

  public ScanOptions withMaxFileSize(long bytes) {
    return new ScanOptions(
        bytes, followSymlinks, excludedDirectory, globalExcludesFile, parallelism, lister);
  }

  public ScanOptions withFollowSymlinks(boolean follow) {
    return new ScanOptions(
        maxFileSize, follow, excludedDirectory, globalExcludesFile, parallelism, lister);
  }

  public ScanOptions withGlobalExcludesFile(Path file) {
    return new ScanOptions(
        maxFileSize, followSymlinks, excludedDirectory, Optional.of(file), parallelism, lister);
  }

  public ScanOptions withParallelism(int threads) {
    return new ScanOptions(
        maxFileSize, followSymlinks, excludedDirectory, globalExcludesFile, threads, lister);
  }

  public ScanOptions withLister(TreeScanner.DirectoryLister directoryLister) {
    return new ScanOptions(
        maxFileSize,
        followSymlinks,
        excludedDirectory,
        globalExcludesFile,
        parallelism,
        Optional.of(directoryLister));
  }
}
