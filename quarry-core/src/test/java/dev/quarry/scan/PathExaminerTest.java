package dev.quarry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single listed paths are judged as the walk judges what it finds. */
class PathExaminerTest {
  @TempDir Path root;
  @TempDir Path otherRoot;
  @TempDir Path outside;
  ScanOptions options;

  @BeforeEach
  void tree() throws Exception {
    root = root.toRealPath();
    Files.createDirectories(root.resolve("src/gen"));
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".gitignore"), "*.log\nbuild/\n");
    Files.writeString(root.resolve("src/.gitignore"), "gen/\n!keep.log\n");
    Files.writeString(root.resolve("src/Main.java"), "class Main {}\n");
    Files.writeString(root.resolve("src/gen/Out.java"), "class Out {}\n");
    Files.writeString(root.resolve("src/keep.log"), "kept: re-included below\n");
    Files.writeString(root.resolve("app.log"), "ignored\n");
    Files.writeString(root.resolve(".git/config"), "[core]\n");
    Files.writeString(root.resolve("empty.txt"), "");
    Files.createSymbolicLink(root.resolve("link.java"), root.resolve("src/Main.java"));
    options = ScanOptions.defaults().withGlobalExcludesFile(outside.resolve("no-global-excludes"));
  }

  private PathVerdict one(PathExaminer examiner, String path) {
    List<PathVerdict> verdicts = examiner.examine(path);
    assertThat(verdicts).hasSize(1);
    return verdicts.get(0);
  }

  @Test
  void saysWhichDirectoriesTheWalkEntersAndWhereFilesMayBeForAWatcher() throws Exception {
    Path indexDir = Files.createDirectories(root.resolve("idx"));
    PathExaminer examiner =
        new PathExaminer(options.withExcludedDirectory(indexDir), List.of(root));
    assertThat(examiner.entersDirectory(root)).isTrue();
    assertThat(examiner.entersDirectory(root.resolve("src"))).isTrue();
    assertThat(examiner.entersDirectory(root.resolve("src/gen"))).isFalse();
    assertThat(examiner.entersDirectory(root.resolve("src/gen/deeper"))).isFalse();
    assertThat(examiner.entersDirectory(root.resolve("build"))).isFalse();
    assertThat(examiner.entersDirectory(root.resolve(".git"))).isFalse();
    assertThat(examiner.entersDirectory(indexDir)).isFalse();
    assertThat(examiner.entersDirectory(outside)).isFalse();
    assertThat(examiner.mayHoldFile(root.resolve("src/Main.java"))).isTrue();
    assertThat(examiner.mayHoldFile(root.resolve("src/not-yet-there.java"))).isTrue();
    assertThat(examiner.mayHoldFile(root.resolve("src/keep.log"))).isTrue();
    assertThat(examiner.mayHoldFile(root.resolve("app.log"))).isFalse();
    assertThat(examiner.mayHoldFile(root.resolve("src/gen/Out.java"))).isFalse();
    assertThat(examiner.mayHoldFile(root.resolve(".git/config"))).isFalse();
    assertThat(examiner.mayHoldFile(indexDir.resolve("segments_1"))).isFalse();
    assertThat(examiner.mayHoldFile(root)).isFalse();
    assertThat(examiner.mayHoldFile(outside.resolve("a.txt"))).isFalse();
    assertThat(PathExaminer.isIgnoreFile(root.resolve("src/.gitignore"))).isTrue();
    assertThat(PathExaminer.isIgnoreFile(root.resolve(".quarryignore"))).isTrue();
    assertThat(PathExaminer.isIgnoreFile(root.resolve("gitignore"))).isFalse();
  }

  @Test
  void judgesLikeTheWalk() throws Exception {
    PathExaminer examiner = new PathExaminer(options, List.of(root));
    assertThat(one(examiner, "src/Main.java"))
        .isInstanceOfSatisfying(
            PathVerdict.Present.class,
            p -> assertThat(p.file().relativePath()).isEqualTo("src/Main.java"));
    assertThat(one(examiner, root.resolve("src/Main.java").toString()))
        .isInstanceOf(PathVerdict.Present.class);
    assertThat(one(examiner, "src/keep.log")).isInstanceOf(PathVerdict.Present.class);
    assertThat(one(examiner, "app.log"))
        .isEqualTo(new PathVerdict.Absent(root, "app.log", "ignored by ignore rules"));
    assertThat(one(examiner, "src/gen/Out.java"))
        .isInstanceOfSatisfying(
            PathVerdict.Absent.class, a -> assertThat(a.why()).contains("src/gen"));
    assertThat(one(examiner, ".git/config")).isInstanceOf(PathVerdict.Absent.class);
    assertThat(one(examiner, "gone.txt")).isEqualTo(new PathVerdict.Absent(root, "gone.txt", null));
    assertThat(one(examiner, "empty.txt"))
        .isEqualTo(new PathVerdict.Skipped(root, "empty.txt", SkipReason.EMPTY));
    assertThat(one(examiner, "link.java"))
        .isEqualTo(new PathVerdict.Skipped(root, "link.java", SkipReason.SYMLINK));
    assertThat(one(examiner, "src"))
        .isInstanceOfSatisfying(
            PathVerdict.Rejected.class, r -> assertThat(r.reason()).contains("a directory"));
    assertThat(one(examiner, outside.resolve("x.txt").toString()))
        .isInstanceOfSatisfying(
            PathVerdict.Rejected.class,
            r -> assertThat(r.reason()).contains("outside the indexed roots"));
    assertThat(one(examiner, "../escape.txt")).isInstanceOf(PathVerdict.Rejected.class);
  }

  @Test
  void followsLinksWhenTheScanDoes() throws Exception {
    PathExaminer examiner = new PathExaminer(options.withFollowSymlinks(true), List.of(root));
    assertThat(one(examiner, "link.java")).isInstanceOf(PathVerdict.Present.class);
  }

  @Test
  void anUnreadableFileIsRejectedWithTheReason() throws Exception {
    PathExaminer examiner =
        new PathExaminer(
            options,
            List.of(root),
            file -> {
              throw new AccessDeniedException(file.toString());
            });
    assertThat(one(examiner, "src/Main.java"))
        .isEqualTo(new PathVerdict.Rejected("unreadable: permission denied"));
  }

  @Test
  void aRelativePathFindsItsRootAmongSeveral() throws Exception {
    Files.writeString(otherRoot.resolve("only-here.txt"), "second root\n");
    Path second = otherRoot.toRealPath();
    PathExaminer examiner = new PathExaminer(options, List.of(root, second));
    assertThat(one(examiner, "only-here.txt"))
        .isInstanceOfSatisfying(
            PathVerdict.Present.class, p -> assertThat(p.file().root()).isEqualTo(second));
    // Gone from every root: absent from each, so an index entry under any of them goes.
    assertThat(examiner.examine("nowhere.txt"))
        .containsExactly(
            new PathVerdict.Absent(root, "nowhere.txt", null),
            new PathVerdict.Absent(second, "nowhere.txt", null));
  }
}
