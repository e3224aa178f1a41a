package dev.quarry.scan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Judges single paths the way {@link TreeScanner} judges what it walks into, without walking: the
 * same ignore rules (each ancestor's {@code .quarryignore} and {@code .gitignore}, git's info
 * exclude, the global excludes), the same directories never entered, the same size cap and link
 * policy. A change list applied through it leaves the index as a full walk would.
 *
 * <p>Ignore rules of the directories it meets are cached (a change list's paths share directories).
 * Not thread-safe.
 */
public final class PathExaminer {
  private static final int CACHED_DIRECTORIES = 4096;

  private final ScanOptions options;
  private final List<Path> roots;
  private final IgnoreNode global;
  private final ReadProbe probe;
  private final Map<Path, IgnoreRules> rulesByDirectory =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, IgnoreRules> eldest) {
          return size() > CACHED_DIRECTORIES;
        }
      };

  /** Opens a file for reading and closes it: whether a run will be able to read it. */
  @FunctionalInterface
  interface ReadProbe {
    void check(Path file) throws IOException;
  }

  /**
   * @param roots the index's roots, absolute and real (as indexed)
   * @throws IOException when the global excludes file exists but cannot be read
   */
  public PathExaminer(ScanOptions options, List<Path> roots) throws IOException {
    this(options, roots, file -> FileChannel.open(file, StandardOpenOption.READ).close());
  }

  PathExaminer(ScanOptions options, List<Path> roots, ReadProbe probe) throws IOException {
    this.options = options;
    this.roots = List.copyOf(roots);
    Path globalFile = options.globalExcludesFile().or(GlobalExcludes::locate).orElse(null);
    this.global = globalFile == null ? null : IgnoreRules.load(globalFile);
    this.probe = probe;
  }

  /**
   * Judges {@code text}, a path as a change list gives it: absolute inside a root, or relative to a
   * root. With several roots, a relative path that exists under none is absent from each (so an
   * index entry under any of them goes).
   */
  public List<PathVerdict> examine(String text) {
    Path given;
    try {
      given = Path.of(text);
    } catch (InvalidPathException e) {
      return List.of(new PathVerdict.Rejected("not a valid path: " + e.getReason()));
    }
    if (given.isAbsolute()) {
      Path absolute = given.normalize();
      Path root = rootOf(absolute);
      if (root == null) {
        absolute = realParent(absolute);
        root = rootOf(absolute);
      }
      if (root == null) {
        return List.of(new PathVerdict.Rejected("outside the indexed roots (" + rootList() + ")"));
      }
      return List.of(judge(root, absolute));
    }
    Path relative = given.normalize();
    if (relative.toString().isEmpty() || relative.startsWith("..")) {
      return List.of(
          new PathVerdict.Rejected("does not name a file inside a root (" + rootList() + ")"));
    }
    List<PathVerdict> verdicts = new ArrayList<>();
    for (Path root : roots) {
      PathVerdict verdict = judge(root, root.resolve(relative));
      if (!(verdict instanceof PathVerdict.Absent a) || a.why() != null) {
        return List.of(verdict); // it exists under this root: that is the one meant
      }
      verdicts.add(verdict);
    }
    return verdicts;
  }

  private PathVerdict judge(Path root, Path file) {
    if (file.equals(root)) {
      return new PathVerdict.Rejected("not a regular file: it is the root directory");
    }
    String relative = root.relativize(file).toString().replace('\\', '/');
    IgnoreRules rules;
    try {
      rules = rulesAbove(root, file, relative);
    } catch (OutsideTree outside) {
      return new PathVerdict.Absent(root, relative, outside.getMessage());
    } catch (IOException e) {
      return new PathVerdict.Rejected("cannot read the ignore rules above it: " + e.getMessage());
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new PathVerdict.Absent(root, relative, null);
    } catch (IOException e) {
      return new PathVerdict.Rejected("cannot stat: " + e.getMessage());
    }
    if (rules.isIgnored(relative, attributes.isDirectory())) {
      return new PathVerdict.Absent(root, relative, "ignored by ignore rules");
    }
    if (attributes.isSymbolicLink()) {
      if (!options.followSymlinks()) {
        return new PathVerdict.Skipped(root, relative, SkipReason.SYMLINK);
      }
      try {
        attributes = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (IOException e) {
        return new PathVerdict.Skipped(root, relative, SkipReason.SYMLINK); // dangling
      }
    }
    if (attributes.isDirectory()) {
      return new PathVerdict.Rejected("not a regular file: a directory (list the files in it)");
    }
    if (!attributes.isRegularFile()) {
      return new PathVerdict.Rejected("not a regular file: a FIFO, socket or device");
    }
    if (attributes.size() == 0) {
      return new PathVerdict.Skipped(root, relative, SkipReason.EMPTY);
    }
    if (attributes.size() > options.maxFileSize()) {
      return new PathVerdict.Skipped(root, relative, SkipReason.TOO_LARGE);
    }
    try {
      probe.check(file);
    } catch (AccessDeniedException e) {
      return new PathVerdict.Rejected("unreadable: permission denied");
    } catch (NoSuchFileException e) {
      return new PathVerdict.Absent(root, relative, null);
    } catch (IOException e) {
      return new PathVerdict.Rejected("unreadable: " + e.getMessage());
    }
    Object key = attributes.fileKey();
    return new PathVerdict.Present(
        new ScannedFile(
            root,
            file,
            relative,
            attributes.size(),
            attributes.lastModifiedTime().toMillis(),
            key == null ? "" : key.toString()));
  }

  /**
   * Whether {@code file} is an ignore file ({@code .gitignore}, {@code .quarryignore}): a change to
   * one can change what is indexed anywhere below it.
   */
  public static boolean isIgnoreFile(Path file) {
    Path name = file.getFileName();
    return name != null
        && (name.toString().equals(TreeScanner.GITIGNORE)
            || name.toString().equals(TreeScanner.QUARRYIGNORE));
  }

  /** The file is in a place the walk never enters. */
  private static final class OutsideTree extends Exception {
    private static final long serialVersionUID = 1L;

    OutsideTree(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The ignore rules in force in {@code file}'s directory, checking on the way down that the walk
   * would enter each directory of the path.
   */
  private IgnoreRules rulesAbove(Path root, Path file, String relative)
      throws IOException, OutsideTree {
    IgnoreRules rules = rootRules(root);
    Path dir = root;
    String prefix = "";
    String[] names = relative.split("/");
    for (int i = 0; i < names.length - 1; i++) {
      String name = names[i];
      dir = dir.resolve(name);
      prefix = prefix + name;
      rules = rulesInside(dir, name, prefix, rules);
      prefix = prefix + "/";
    }
    return rules;
  }

  /**
   * The rules in force inside {@code dir} (root-relative {@code prefix}, no trailing '/'), whose
   * parent has {@code rules}; {@link OutsideTree} when the walk would not enter it.
   */
  private IgnoreRules rulesInside(Path dir, String name, String prefix, IgnoreRules rules)
      throws IOException, OutsideTree {
    if (TreeScanner.SKIPPED_DIRECTORIES.contains(name)) {
      throw new OutsideTree("inside " + name + ", which is never indexed");
    }
    if (options.excludedDirectory().map(dir::equals).orElse(false)) {
      throw new OutsideTree("inside the index directory");
    }
    if (!options.followSymlinks() && Files.isSymbolicLink(dir)) {
      throw new OutsideTree("under " + prefix + ", a symbolic link the scan does not follow");
    }
    if (rules.isIgnored(prefix, true)) {
      throw new OutsideTree("inside " + prefix + ", which ignore rules exclude");
    }
    return rulesIn(dir, prefix + "/", rules);
  }

  /**
   * Whether a walk of the roots enters directory {@code dir} (absolute): it is a root, or inside
   * one and neither it nor a directory above it is ignored, {@code .git}, the index's folder or a
   * link the walk does not follow. Whether it exists is not checked. An ignore file that cannot be
   * read counts as no rules (a watcher rather watches too much than misses changes).
   */
  public boolean entersDirectory(Path dir) {
    Path absolute = dir.normalize();
    Path root = rootOf(absolute);
    if (root == null) {
      return false;
    }
    if (absolute.equals(root)) {
      return true;
    }
    String relative = root.relativize(absolute).toString().replace('\\', '/');
    try {
      rulesInside(
          absolute,
          absolute.getFileName().toString(),
          relative,
          rulesAbove(root, absolute, relative));
      return true;
    } catch (OutsideTree outside) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Whether {@code file} (absolute) is somewhere a walk could find a file to index: inside a root,
   * in a directory the walk enters, not ignored. The file itself is not looked at (it may be gone):
   * a watcher asks this of every event's path before reporting it.
   */
  public boolean mayHoldFile(Path file) {
    Path absolute = file.normalize();
    Path root = rootOf(absolute);
    if (root == null || absolute.equals(root)) {
      return false;
    }
    String relative = root.relativize(absolute).toString().replace('\\', '/');
    try {
      return !rulesAbove(root, absolute, relative).isIgnored(relative, false);
    } catch (OutsideTree outside) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private IgnoreRules rootRules(Path root) throws IOException {
    IgnoreRules cached = rulesByDirectory.get(root);
    if (cached == null) {
      IgnoreRules base =
          IgnoreRules.base(IgnoreRules.load(root.resolve(".git/info/exclude")), global);
      cached =
          base.child(
              "",
              IgnoreRules.load(root.resolve(TreeScanner.QUARRYIGNORE)),
              IgnoreRules.load(root.resolve(TreeScanner.GITIGNORE)));
      rulesByDirectory.put(root, cached);
    }
    return cached;
  }

  private IgnoreRules rulesIn(Path dir, String prefix, IgnoreRules parent) throws IOException {
    IgnoreRules cached = rulesByDirectory.get(dir);
    if (cached == null) {
      cached =
          parent.child(
              prefix,
              IgnoreRules.load(dir.resolve(TreeScanner.QUARRYIGNORE)),
              IgnoreRules.load(dir.resolve(TreeScanner.GITIGNORE)));
      rulesByDirectory.put(dir, cached);
    }
    return cached;
  }

  private Path rootOf(Path absolute) {
    for (Path root : roots) {
      if (absolute.startsWith(root)) {
        return root;
      }
    }
    return null;
  }

  /**
   * {@code path} with its deepest existing ancestor resolved to its real path (/tmp vs
   * /private/tmp).
   */
  private static Path realParent(Path path) {
    Path existing = path.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path));
    } catch (IOException e) {
      return path;
    }
  }

  private String rootList() {
    return String.join(", ", roots.stream().map(Path::toString).toList());
  }
}
