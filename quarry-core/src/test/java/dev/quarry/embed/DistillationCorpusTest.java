package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fit corpus, read from the artifacts on the class path. */
class DistillationCorpusTest {
  @Test
  void itHoldsSentencesJavadocAndCodeInAFixedOrder() {
    List<String> texts = DistillationCorpus.texts();
    List<String> sentences = DistillationCorpus.sentences();
    assertThat(sentences.size()).isGreaterThan(10_000);
    assertThat(texts)
        .hasSize(
            sentences.size() + DistillationCorpus.JAVADOC_TEXTS + DistillationCorpus.CODE_TEXTS);
    assertThat(texts.subList(0, sentences.size())).isEqualTo(sentences);
    assertThat(DistillationCorpus.texts()).isEqualTo(texts); // deterministic

    List<String> javadoc =
        texts.subList(sentences.size(), sentences.size() + DistillationCorpus.JAVADOC_TEXTS);
    List<String> code = texts.subList(texts.size() - DistillationCorpus.CODE_TEXTS, texts.size());
    assertThat(javadoc).noneMatch(t -> t.contains("*/") || t.contains("\n"));
    assertThat(code).allMatch(t -> t.contains("\n"));
    assertThat(code).anyMatch(t -> t.contains("return "));
  }

  @Test
  void sentencesAreTextWithoutMarkupOrErrors() {
    List<String> sentences = DistillationCorpus.sentences();
    assertThat(sentences).allMatch(s -> s.split(" ").length >= 4);
    assertThat(sentences).noneMatch(s -> s.contains("<marker>") || s.contains("</example>"));
    assertThat(sentences).noneMatch(s -> s.contains("&amp;") || s.contains("&quot;"));
    assertThat(sentences).doesNotHaveDuplicates();
  }
}
