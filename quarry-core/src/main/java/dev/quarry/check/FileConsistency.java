package dev.quarry.check;

import dev.quarry.check.IndexProblem.Kind;
import dev.quarry.index.IndexSchema;
import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;

/**
 * The invariants between one file's manifest entry and its chunk documents: one entry; as many
 * chunks as it says, with ordinals 0..n-1 each once and the entry's path; a vector on every chunk
 * when the entry records a model. Not thread-safe (it reuses readers).
 */
final class FileConsistency {
  private final StoredFields stored;
  private final Bits withVector;
  private final ChunkFields fields = new ChunkFields();

  /** Reads chunks from {@code stored}; {@code withVector} tells which documents have a vector. */
  FileConsistency(StoredFields stored, Bits withVector) {
    this.stored = stored;
    this.withVector = withVector;
  }

  /**
   * The problems of {@code file}, given how many live manifest documents it has, the entry of the
   * first (null when it has none or it cannot be read) and its other (chunk) documents: {@code
   * chunkDocs[from..to)}.
   */
  List<IndexProblem> check(
      String file, int manifestCount, ManifestEntry entry, int[] chunkDocs, int from, int to)
      throws IOException {
    int chunkCount = to - from;
    if (manifestCount == 0) {
      return List.of(
          new IndexProblem(
              Kind.ORPHAN_CHUNKS,
              file,
              count(chunkCount, "chunk document") + " and no manifest entry"));
    }
    if (manifestCount > 1) {
      return List.of(
          new IndexProblem(Kind.DUPLICATE_MANIFEST, file, manifestCount + " manifest entries"));
    }
    if (entry == null) {
      return List.of(
          new IndexProblem(Kind.UNREADABLE_MANIFEST, file, "the manifest document has no columns"));
    }
    int[] ordinals = new int[chunkCount];
    boolean[] vectors = new boolean[chunkCount];
    String[] paths = new String[chunkCount];
    for (int i = 0; i < chunkCount; i++) {
      int doc = chunkDocs[from + i];
      fields.reset();
      stored.document(doc, fields);
      ordinals[i] = fields.ordinal;
      vectors[i] = withVector.get(doc);
      paths[i] = fields.path;
    }
    return problems(file, entry, ordinals, vectors, paths);
  }

  /**
   * The problems of {@code file}, which has the one manifest entry {@code entry}, and chunks whose
   * ordinals, vectors (whether each has one) and paths are given, in the same order: the rules both
   * the embedded index's check and a remote store's apply.
   */
  static List<IndexProblem> problems(
      String file, ManifestEntry entry, int[] ordinals, boolean[] vectors, String[] paths) {
    int chunkCount = ordinals.length;
    int withoutVector = 0;
    int otherPath = 0;
    String firstOtherPath = null;
    for (int i = 0; i < chunkCount; i++) {
      withoutVector += vectors[i] ? 0 : 1;
      if (!entry.path().equals(paths[i])) {
        otherPath++;
        firstOtherPath = firstOtherPath == null ? String.valueOf(paths[i]) : firstOtherPath;
      }
    }
    List<IndexProblem> problems = new ArrayList<>(0);
    String ordinalFaults = OrdinalCheck.faults(ordinals, entry.chunkCount());
    if (chunkCount != entry.chunkCount()) {
      // Wrong ordinals follow from a wrong count; they are said here, not as a second problem.
      String faults = ordinalFaults.isEmpty() ? "" : " (" + ordinalFaults + ")";
      problems.add(
          new IndexProblem(
              Kind.CHUNK_COUNT,
              file,
              count(chunkCount, "chunk document")
                  + ", the manifest says "
                  + entry.chunkCount()
                  + faults));
    } else if (!ordinalFaults.isEmpty()) {
      problems.add(new IndexProblem(Kind.ORDINALS, file, ordinalFaults));
    }
    if (!entry.model().isEmpty() && withoutVector > 0) {
      problems.add(
          new IndexProblem(
              Kind.MISSING_VECTORS,
              file,
              withoutVector
                  + " of "
                  + count(chunkCount, "chunk")
                  + " without a vector, though the manifest records model "
                  + entry.model()));
    }
    if (otherPath > 0) {
      problems.add(
          new IndexProblem(
              Kind.PATH_MISMATCH,
              file,
              otherPath
                  + " of "
                  + count(chunkCount, "chunk")
                  + " with path '"
                  + firstOtherPath
                  + "', the manifest '"
                  + entry.path()
                  + "'"));
    }
    return problems;
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * A chunk's path and ordinal. The text stored between them is skipped, never made a String, and
   * reading stops once both are in.
   */
  private static final class ChunkFields extends StoredFieldVisitor {
    String path;
    int ordinal;
    boolean hasOrdinal;

    void reset() {
      path = null;
      ordinal = -1; // a chunk stored without an ordinal counts as out of range
      hasOrdinal = false;
    }

    @Override
    public Status needsField(FieldInfo field) {
      if (path != null && hasOrdinal) {
        return Status.STOP;
      }
      return field.name.equals(IndexSchema.PATH) || field.name.equals(IndexSchema.ORDINAL)
          ? Status.YES
          : Status.NO;
    }

    @Override
    public void stringField(FieldInfo field, String value) {
      if (field.name.equals(IndexSchema.PATH)) {
        path = value;
      }
    }

    @Override
    public void intField(FieldInfo field, int value) {
      if (field.name.equals(IndexSchema.ORDINAL)) {
        ordinal = value;
        hasOrdinal = true;
      }
    }
  }
}
