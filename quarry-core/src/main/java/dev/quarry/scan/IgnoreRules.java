package dev.quarry.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The ignore rules in force in one directory: its own {@code .quarryignore} and {@code .gitignore}
 * (JGit's matcher, so git's exact semantics), then its parent's rules, up to the root. As in git,
 * the deepest file that has an opinion decides, and within a file the last matching rule.
 * Immutable; children share their parents' levels.
 */
final class IgnoreRules {
  /** This level's directory relative to the root, with a trailing '/', or "" at the root. */
  private final String prefix;

  private final IgnoreNode quarryIgnore; // may be null
  private final IgnoreNode gitIgnore; // may be null
  private final IgnoreRules parent; // null above the root

  private IgnoreRules(
      String prefix, IgnoreNode quarryIgnore, IgnoreNode gitIgnore, IgnoreRules parent) {
    this.prefix = prefix;
    this.quarryIgnore = quarryIgnore;
    this.gitIgnore = gitIgnore;
    this.parent = parent;
  }

  /** Rules that apply everywhere under a root: {@code .git/info/exclude}, then the global file. */
  static IgnoreRules base(IgnoreNode infoExclude, IgnoreNode global) {
    IgnoreRules globalLevel = global == null ? null : new IgnoreRules("", null, global, null);
    return new IgnoreRules("", null, infoExclude, globalLevel);
  }

  /** This directory's rules on top of {@code this}; returns {@code this} when it has none. */
  IgnoreRules child(String directoryPrefix, IgnoreNode quarryIgnore, IgnoreNode gitIgnore) {
    if (quarryIgnore == null && gitIgnore == null) {
      return this;
    }
    return new IgnoreRules(directoryPrefix, quarryIgnore, gitIgnore, this);
  }

  /** Whether the entry at root-relative {@code path} is ignored. */
  boolean isIgnored(String path, boolean isDirectory) {
    for (IgnoreRules level = this; level != null; level = level.parent) {
      String local = path.substring(level.prefix.length());
      Boolean verdict = check(level.quarryIgnore, local, isDirectory);
      if (verdict == null) {
        verdict = check(level.gitIgnore, local, isDirectory);
      }
      if (verdict != null) {
        return verdict;
      }
    }
    return false;
  }

  private static Boolean check(IgnoreNode node, String path, boolean isDirectory) {
    return node == null ? null : node.checkIgnored(path, isDirectory);
  }

  /** Parses an ignore file, or null when it does not exist. */
  static IgnoreNode load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    IgnoreNode node = new IgnoreNode();
    try (InputStream in = Files.newInputStream(file)) {
      node.parse(file.toString(), in);
    }
    return node;
  }
}
