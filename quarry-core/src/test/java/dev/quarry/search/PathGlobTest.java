package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.lucene.util.automaton.RegExp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {
  private static boolean matches(String glob, String path) {
    return new RegExp(PathGlob.toRegexp(glob)).toAutomaton().toString() != null
        && org.apache.lucene.util.automaton.Operations.run(
            org.apache.lucene.util.automaton.Operations.determinize(
                new RegExp(PathGlob.toRegexp(glob)).toAutomaton(), 10_000),
            path);
  }

  @ParameterizedTest
  @CsvSource({
    "*.java, Main.java, true",
    "*.java, src/deep/Main.java, true",
    "*.java, Main.javax, false",
    "src/*.java, src/Main.java, true",
    "src/*.java, src/a/Main.java, false",
    "src/**/*.java, src/Main.java, true",
    "src/**/*.java, src/a/b/Main.java, true",
    "docs/**, docs/guide.md, true",
    "docs/, docs/a/b.md, true",
    "docs/**, src/docs.md, false",
    "file?.txt, file1.txt, true",
    "file?.txt, file10.txt, false",
    "*.{md;txt}, a.txt, true",
    "[ab].py, b.py, true",
    "[!ab].py, c.py, true",
    "[!ab].py, a.py, false",
    "a+b (1).txt, a+b (1).txt, true",
  })
  void translatesGlobSemantics(String glob, String path, boolean expected) {
    assertThat(matches(glob.replace(';', ','), path)).as(glob + " ~ " + path).isEqualTo(expected);
  }

  @Test
  void malformedGlobsAreRejectedWithTheGlobNamed() {
    assertThatThrownBy(() -> PathGlob.toRegexp("src/[abc")).hasMessageContaining("src/[abc");
    assertThatThrownBy(() -> PathGlob.toRegexp("{a,b")).hasMessageContaining("unclosed '{'");
    assertThatThrownBy(() -> PathGlob.toRegexp(" ")).hasMessageContaining("empty");
  }
}
