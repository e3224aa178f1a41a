package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.chunk.TokenSpans;
import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java WordPiece tokenizer agrees with the model's own (HuggingFace) tokenizer, text by text:
 * the same token count and the same ids, for both uncased BERT vocabularies Quarry ships.
 */
class WordPieceTokenizerTest {
  private static final List<String> VOCABULARIES =
      List.of("all-minilm-l6-v2-q-tokenizer.json", "bge-small-en-v1.5-q-tokenizer.json");

  private static final List<HuggingFaceTokenizer> libraries = new ArrayList<>();
  private static final List<WordPieceTokenizer> wordPieces = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    ClassLoader loader = WordPieceTokenizerTest.class.getClassLoader();
    for (String vocabulary : VOCABULARIES) {
      try (InputStream a = loader.getResourceAsStream(vocabulary);
          InputStream b = loader.getResourceAsStream(vocabulary)) {
        assertThat(a).as(vocabulary).isNotNull();
        libraries.add(
            HuggingFaceTokenizer.newInstance(
                a, Map.of("padding", "false", "truncation", "false", "maxLength", "1000000")));
        wordPieces.add(WordPieceTokenizer.fromTokenizerJson(b));
      }
    }
  }

  @AfterAll
  static void close() {
    libraries.forEach(HuggingFaceTokenizer::close);
  }

  private static void assertSameCounts(List<String> texts, String corpus) {
    for (int v = 0; v < VOCABULARIES.size(); v++) {
      List<String> mismatches = new ArrayList<>();
      long tokens = 0;
      for (String text : texts) {
        long[] expected = libraries.get(v).encode(text, false, false).getIds();
        long[] actual = wordPieces.get(v).ids(text);
        tokens += expected.length;
        if (!Arrays.equals(expected, actual)
            || wordPieces.get(v).tokenize(text).count() != expected.length
            || wordPieces.get(v).countTokens(text) != expected.length) {
          mismatches.add(
              Arrays.toString(Arrays.copyOf(expected, Math.min(12, expected.length)))
                  + " vs "
                  + Arrays.toString(Arrays.copyOf(actual, Math.min(12, actual.length)))
                  + ": "
                  + text.substring(0, Math.min(120, text.length())));
        }
      }
      assertThat(mismatches)
          .as("%s, %s: %d texts, %d tokens", VOCABULARIES.get(v), corpus, texts.size(), tokens)
          .isEmpty();
    }
  }

  @Test
  void sameCountsOnScientificAbstracts() throws Exception {
    Path corpus =
        Path.of(System.getProperty("quarry.shared.dir", "../shared"), "data/scifact/corpus.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && texts.size() < 1500) {
        var doc = json.readTree(line);
        texts.add(doc.path("title").asText() + "\n\n" + doc.path("text").asText());
      }
    }
    assertSameCounts(texts, "SciFact");
  }

  @Test
  void sameCountsOnPythonCode() throws Exception {
    Path corpus =
        Path.of(System.getProperty("quarry.shared.dir", "../shared"), "data/cosqa/corpus.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && texts.size() < 1500) {
        texts.add(json.readTree(line).path("text").asText());
      }
    }
    assertSameCounts(texts, "CoSQA");
  }

  @Test
  void sameCountsOnThisRepositorysJavaSources() throws Exception {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        texts.add(Files.readString(file));
      }
    }
    assertSameCounts(texts, "Java sources");
  }

  @Test
  void sameCountsOnUnicodeEdgeCases() {
    assertSameCounts(
        List.of(
            "Café crème brûlée, naïve façade",
            "Straße ÆØÅ İstanbul",
            "中文字符和English混合",
            "emoji 😀 and symbols ™ © ½ → ∑",
            "tabs\tand\u00A0nbsp\u2003em space",
            "zero\u200Bwidth\u200Djoiner",
            "control\u0001chars\u0007inside",
            "replacement \uFFFD char",
            "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ",
            "x".repeat(150),
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "Ελληνικά κείμενα και Кириллица",
            "עברית ועברית",
            "日本語のテキスト",
            "한국어 텍스트",
            "snake_case_name camelCaseName SCREAMING_CASE kebab-case-name",
            "a.b.c::d->e=>f",
            "special [CLS] tokens[SEP]in text [UNK] and [MASK]ed [not special]"),
        "edge cases");
  }

  @Test
  void tokenStartsFallOnTheRightWords() {
    String text = "Hello, wonderful world";
    TokenSpans spans = wordPieces.get(0).tokenize(text);
    assertThat(spans.count()).isEqualTo(4);
    assertThat(text.substring(spans.start(0), spans.end(0))).isEqualTo("Hello");
    assertThat(text.substring(spans.start(1), spans.end(1))).isEqualTo(",");
    assertThat(text.substring(spans.start(3), spans.end(3))).isEqualTo("world");
  }

  @Test
  void refusesATokenizerWhoseNormaliserItDoesNotImplement() {
    String cased =
        "{\"normalizer\": {\"type\": \"BertNormalizer\", \"lowercase\": false},"
            + " \"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}}";
    assertThatThrownBy(
            () ->
                WordPieceTokenizer.fromTokenizerJson(
                    new java.io.ByteArrayInputStream(cased.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("not BERT's uncased one");
  }
}
