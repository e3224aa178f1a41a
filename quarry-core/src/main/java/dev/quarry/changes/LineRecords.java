package dev.quarry.changes;

import dev.quarry.changes.ChangeEntry.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Records of {@link Framing#LINES}: one per line, the record number is the line number. */
final class LineRecords implements RecordSource {
  private static final byte TAB = '\t';

  private final FieldReader lines;
  private final PathDecoder decoder = new PathDecoder();
  private int line;

  LineRecords(InputStream in, int maxRecordBytes) {
    this.lines = new FieldReader(in, (byte) '\n', maxRecordBytes);
  }

  @Override
  public ChangeRecord next() throws IOException {
    FieldReader.Field field;
    while ((field = lines.next()) != null) {
      line++;
      if (field.oversized()) {
        return new BadRecord(line, field.text(), field.oversizedReason());
      }
      byte[] b = field.bytes();
      int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
      if (isBlank(b, end)) {
        continue;
      }
      try {
        return parse(b, end);
      } catch (MalformedRecordException e) {
        return new BadRecord(line, new String(b, 0, end, StandardCharsets.UTF_8), e.getMessage());
      }
    }
    return null;
  }

  private ChangeEntry parse(byte[] b, int end) throws MalformedRecordException {
    if (indexOf(b, 0, end, (byte) 0) >= 0) {
      throw new MalformedRecordException("line contains a NUL byte: NUL-separated input needs -z");
    }
    int tab = indexOf(b, 0, end, TAB);
    if (tab < 0 || !StatusToken.looksLikeStatus(b, 0, tab)) {
      return new ChangeEntry(line, Status.BARE, List.of(path(b, 0, end, "path")));
    }
    StatusToken token = StatusToken.parse(b, 0, tab);
    int expected = token.status().pathCount();
    int found = 1 + count(b, tab + 1, end, TAB);
    if (found != expected) {
      throw new MalformedRecordException(
          String.format(
              "'%s' takes %d path%s (%s), found %d TAB-separated fields",
              token.text(), expected, expected == 1 ? "" : "s", token.usage(), found));
    }
    if (expected == 1) {
      return new ChangeEntry(
          line, token.status(), token.score(), List.of(gitPath(b, tab + 1, end, "path", token)));
    }
    int second = indexOf(b, tab + 1, end, TAB);
    String oldPath = gitPath(b, tab + 1, second, "old path", token);
    String newPath = gitPath(b, second + 1, end, "new path", token);
    return new ChangeEntry(line, token.status(), token.score(), List.of(oldPath, newPath));
  }

  private String gitPath(byte[] b, int from, int to, String what, StatusToken token)
      throws MalformedRecordException {
    if (from == to) {
      throw new MalformedRecordException("missing " + what + ": expected " + token.usage());
    }
    return path(b, from, to, what);
  }

  /** The path written as {@code b[from, to)}, unquoted if it starts with a double quote. */
  private String path(byte[] b, int from, int to, String what) throws MalformedRecordException {
    byte[] raw =
        QuotedPath.isQuoted(b, from, to)
            ? QuotedPath.unquote(b, from, to)
            : Arrays.copyOfRange(b, from, to);
    return decoder.decode(raw, what);
  }

  /**
   * Whether {@code b[0, end)} is only ASCII whitespace (space, TAB, CR, vertical tab, form feed).
   */
  private static boolean isBlank(byte[] b, int end) {
    for (int i = 0; i < end; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != 0x0b && c != '\f') {
        return false;
      }
    }
    return true;
  }

  private static int count(byte[] b, int from, int to, byte c) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        n++;
      }
    }
    return n;
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
