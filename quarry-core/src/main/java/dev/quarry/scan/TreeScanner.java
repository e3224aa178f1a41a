package dev.quarry.scan;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Walks roots and reports every file in them that ignore rules do not exclude: regular files to
 * index, and a typed skip or failure for everything else. Streams: memory holds one directory
 * listing per level of the current path, never the tree.
 *
 * <p>Nothing is ever opened but directories and ignore files, so FIFOs, sockets and devices cannot
 * block a scan. With {@link ScanOptions#parallelism()} 1, entries are reported in name order, depth
 * first; with more, directories are walked in parallel and the order of reports varies, never their
 * set. An unreadable directory is reported and the walk goes on; one deleted since its parent was
 * listed is not reported, like a file deleted since the listing. Thread-safe: each {@link #scan}
 * call is independent; the listener is called from the walk's threads.
 */
public final class TreeScanner {
  static final String GITIGNORE = ".gitignore";
  static final String QUARRYIGNORE = ".quarryignore";

  /** Never walked: git's own data, and Quarry's default index folder (of this or nested trees). */
  static final List<String> SKIPPED_DIRECTORIES = List.of(".git", ".quarry");

  private final ScanOptions options;
  private final DirectoryLister lister;

  /**
   * Lists a directory's entries (a seam: tests inject unreadable directories, even as root; see
   * {@link ScanOptions#withLister}). Called from the walk's threads, so it must be thread-safe.
   */
  @FunctionalInterface
  public interface DirectoryLister {
    /** The directory's entries, in the order a sequential walk reports them. */
    List<Path> list(Path directory) throws IOException;
  }

  TreeScanner(ScanOptions options, DirectoryLister lister) {
    this.options = Objects.requireNonNull(options, "options");
    this.lister = Objects.requireNonNull(lister, "lister");
  }

  public static TreeScanner create(ScanOptions options) {
    return new TreeScanner(options, options.lister().orElse(TreeScanner::listSorted));
  }

  /**
   * Scans each root in turn.
   *
   * @throws IOException when a root does not exist or is not a directory (checked for all roots
   *     before any is walked), or the global excludes file cannot be read
   */
  public void scan(List<Path> roots, ScanListener listener) throws IOException {
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new NotDirectoryException(root + " (a root to scan must be an existing directory)");
      }
    }
    Path globalFile = options.globalExcludesFile().or(GlobalExcludes::locate).orElse(null);
    IgnoreNode global = globalFile == null ? null : IgnoreRules.load(globalFile);
    for (Path root : roots) {
      IgnoreNode infoExclude = IgnoreRules.load(root.resolve(".git/info/exclude"));
      new Walk(root, IgnoreRules.base(infoExclude, global), listener).run();
    }
  }

  /** A directory waiting to be listed. */
  private record Pending(Path dir, String relative, IgnoreRules rules, Ancestors ancestors) {}

  /** File keys of the directories from the root down to here: a followed link to one is a loop. */
  private record Ancestors(Object key, Ancestors parent) {
    boolean contains(Object candidate) {
      for (Ancestors a = this; a != null; a = a.parent) {
        if (a.key != null && a.key.equals(candidate)) {
          return true;
        }
      }
      return false;
    }
  }

  /** One root's walk: depth first, files of a directory before its subdirectories. */
  private final class Walk {
    private final Path root;
    private final IgnoreRules baseRules;
    private final ScanListener listener;

    Walk(Path root, IgnoreRules baseRules, ScanListener listener) {
      this.root = root;
      this.baseRules = baseRules;
      this.listener = listener;
    }

    void run() throws IOException {
      Object rootKey = Files.readAttributes(root, BasicFileAttributes.class).fileKey();
      Pending start = new Pending(root, "", baseRules, new Ancestors(rootKey, null));
      if (options.parallelism() <= 1) {
        Deque<Pending> stack = new ArrayDeque<>();
        stack.push(start);
        while (!stack.isEmpty()) {
          Pending next = stack.pop();
          List<Pending> subdirectories = visit(next);
          for (int i = subdirectories.size() - 1; i >= 0; i--) {
            stack.push(subdirectories.get(i));
          }
        }
        return;
      }
      ForkJoinPool pool = new ForkJoinPool(options.parallelism());
      try {
        pool.invoke(new DirectoryTask(null, start));
      } finally {
        pool.shutdownNow();
      }
    }

    /**
     * One directory of a parallel walk: its files are reported, its subdirectories forked. It
     * completes when they have, without waiting for them on its stack (a completer, not a join), so
     * the stack stays flat however deep the tree: joining, a 2,000-level tree (as deep as PATH_MAX
     * allows) needed more than 320 KB of a walking thread's stack.
     */
    private final class DirectoryTask extends CountedCompleter<Void> {
      private static final long serialVersionUID = 1L;
      private final transient Pending pending;

      DirectoryTask(DirectoryTask parent, Pending pending) {
        super(parent);
        this.pending = pending;
      }

      @Override
      public void compute() {
        List<Pending> subdirectories = visit(pending);
        setPendingCount(subdirectories.size());
        for (Pending subdirectory : subdirectories) {
          new DirectoryTask(this, subdirectory).fork();
        }
        tryComplete(); // completes this task now, or the last subdirectory to finish does
      }
    }

    private List<Pending> visit(Pending pending) {
      List<Path> entries;
      try {
        entries = lister.list(pending.dir());
      } catch (IOException e) {
        if (e instanceof NoSuchFileException
            && !pending.relative().isEmpty()
            && Files.isDirectory(root)) {
          return List.of(); // deleted since its parent was listed: gone, with everything under it
        }
        // Unreadable is not gone, and neither is a tree whose root vanished mid-walk (renamed,
        // unmounted): reported, what was indexed under it stays.
        listener.onFailed(
            root, displayPath(pending.relative()), "cannot read directory: " + reason(e));
        return List.of();
      }
      IgnoreRules rules = pending.rules();
      String prefix = pending.relative().isEmpty() ? "" : pending.relative() + "/";
      IgnoreNode quarryIgnore;
      IgnoreNode gitIgnore;
      String reading = QUARRYIGNORE;
      try {
        quarryIgnore = loadIfListed(pending.dir(), entries, QUARRYIGNORE);
        reading = GITIGNORE;
        gitIgnore = loadIfListed(pending.dir(), entries, GITIGNORE);
      } catch (IOException e) {
        // Without its rules the directory's content cannot be judged: walking it anyway would
        // index what they exclude (secrets, say). It counts as unreadable: what was indexed of it
        // stays, and nothing new is taken from it until the file can be read.
        listener.onFailed(
            root,
            displayPath(pending.relative()),
            "cannot read its ignore file " + prefix + reading + ": " + reason(e));
        return List.of();
      }
      rules = rules.child(prefix, quarryIgnore, gitIgnore);
      List<Pending> subdirectories = new ArrayList<>();
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String relative = prefix + name;
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // deleted since the listing: it is not part of the tree any more
        } catch (IOException e) {
          listener.onFailed(root, relative, "cannot stat: " + reason(e));
          continue;
        }
        if (attributes.isDirectory() && (SKIPPED_DIRECTORIES.contains(name) || isExcluded(entry))) {
          continue;
        }
        if (rules.isIgnored(relative, attributes.isDirectory())) {
          continue;
        }
        if (!isRepresentable(pending.dir(), name)) {
          listener.onSkipped(relative, SkipReason.UNREPRESENTABLE_NAME);
          continue;
        }
        if (attributes.isSymbolicLink()) {
          attributes = followed(entry, relative);
          if (attributes == null) {
            continue;
          }
          if (attributes.isDirectory() && pending.ancestors().contains(attributes.fileKey())) {
            listener.onSkipped(relative, SkipReason.SYMLINK_LOOP);
            continue;
          }
        }
        if (attributes.isDirectory()) {
          subdirectories.add(
              new Pending(
                  entry,
                  relative,
                  rules,
                  new Ancestors(attributes.fileKey(), pending.ancestors())));
        } else if (attributes.isRegularFile()) {
          reportFile(entry, relative, attributes);
        } else {
          listener.onSkipped(relative, SkipReason.SPECIAL_FILE);
        }
      }
      return subdirectories;
    }

    /**
     * The link's target attributes when links are followed and the target exists; else reports it.
     */
    private BasicFileAttributes followed(Path link, String relative) {
      if (!options.followSymlinks()) {
        listener.onSkipped(relative, SkipReason.SYMLINK);
        return null;
      }
      try {
        return Files.readAttributes(link, BasicFileAttributes.class);
      } catch (IOException e) {
        // Dangling, or a loop of links that never reaches a file.
        listener.onSkipped(relative, SkipReason.SYMLINK);
        return null;
      }
    }

    private void reportFile(Path file, String relative, BasicFileAttributes attributes) {
      if (attributes.size() == 0) {
        listener.onSkipped(relative, SkipReason.EMPTY);
      } else if (attributes.size() > options.maxFileSize()) {
        listener.onSkipped(relative, SkipReason.TOO_LARGE);
      } else {
        Object key = attributes.fileKey();
        listener.onFile(
            new ScannedFile(
                root,
                file,
                relative,
                attributes.size(),
                attributes.lastModifiedTime().toMillis(),
                key == null ? "" : key.toString()));
      }
    }

    private boolean isExcluded(Path dir) {
      return options.excludedDirectory().map(dir::equals).orElse(false);
    }
  }

  /**
   * A name with bytes that are not valid UTF-8 decodes to U+FFFD; the string then names another
   * file (or none), so it cannot serve as the file's identity.
   */
  private static boolean isRepresentable(Path dir, String name) {
    return name.indexOf('\uFFFD') < 0 || Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  private static IgnoreNode loadIfListed(Path dir, List<Path> entries, String name)
      throws IOException {
    for (Path entry : entries) {
      if (entry.getFileName().toString().equals(name)) {
        return IgnoreRules.load(dir.resolve(name));
      }
    }
    return null;
  }

  private static List<Path> listSorted(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        entries.add(entry);
      }
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return entries;
  }

  private static String displayPath(String relative) {
    return relative.isEmpty() ? "." : relative;
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
