package dev.quarry.check;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.CheckIndex;

/** What Lucene's own check ({@link CheckIndex}) found wrong, as lines a person can act on. */
final class LuceneIntegrity {
  private LuceneIntegrity() {}

  /** One line per fault; empty when the index is clean. */
  static List<String> damage(CheckIndex.Status status) {
    if (status.clean) {
      return List.of();
    }
    List<String> damage = new ArrayList<>();
    if (status.missingSegments) {
      damage.add(
          "cannot read the commit point (the segments_N file or a segment's .si file is missing or corrupt)");
    }
    for (CheckIndex.Status.SegmentInfoStatus segment : status.segmentInfos) {
      if (segment.error != null) {
        damage.add(
            "segment "
                + segment.name
                + " ("
                + segment.maxDoc
                + " documents): "
                + describe(segment));
      }
    }
    if (!status.missingSegments && !status.validCounter) {
      damage.add("the commit's segment counter is not above its largest segment name");
    }
    if (damage.isEmpty()) {
      damage.add(
          "Lucene's CheckIndex found the index not clean ("
              + status.numBadSegments
              + " bad segments)");
    }
    return damage;
  }

  /**
   * The segment's failure with its cause. When one part failed its test, the segment's error only
   * names the part ("Stored Field test failed") and the part's status holds what was wrong.
   */
  private static String describe(CheckIndex.Status.SegmentInfoStatus segment) {
    String message = messageOf(segment.error);
    Throwable part = firstPartError(segment);
    return part == null || part == segment.error ? message : message + ": " + messageOf(part);
  }

  private static Throwable firstPartError(CheckIndex.Status.SegmentInfoStatus s) {
    Throwable[] parts = {
      s.liveDocStatus == null ? null : s.liveDocStatus.error,
      s.fieldInfoStatus == null ? null : s.fieldInfoStatus.error,
      s.fieldNormStatus == null ? null : s.fieldNormStatus.error,
      s.termIndexStatus == null ? null : s.termIndexStatus.error,
      s.storedFieldStatus == null ? null : s.storedFieldStatus.error,
      s.termVectorStatus == null ? null : s.termVectorStatus.error,
      s.docValuesStatus == null ? null : s.docValuesStatus.error,
      s.pointsStatus == null ? null : s.pointsStatus.error,
      s.vectorValuesStatus == null ? null : s.vectorValuesStatus.error,
      s.indexSortStatus == null ? null : s.indexSortStatus.error,
      s.softDeletesStatus == null ? null : s.softDeletesStatus.error,
    };
    for (Throwable part : parts) {
      if (part != null) {
        return part;
      }
    }
    return null;
  }

  /** The exception's message and its cause's, one line. */
  private static String messageOf(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Throwable cause = t.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += ": " + cause.getMessage();
    }
    return message.replace('\n', ' ');
  }
}
