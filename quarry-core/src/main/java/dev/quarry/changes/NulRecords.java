package dev.quarry.changes;

import dev.quarry.changes.ChangeEntry.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Records of {@link Framing#NUL}: a field that is exactly a status starts a git entry and takes the
 * next one or two fields as its paths, whatever they hold; any other field is a bare path. The
 * record number counts entries, not fields.
 */
final class NulRecords implements RecordSource {
  private final FieldReader fields;
  private final PathDecoder decoder = new PathDecoder();
  private int entry;

  NulRecords(InputStream in, int maxRecordBytes) {
    this.fields = new FieldReader(in, (byte) 0, maxRecordBytes);
  }

  @Override
  public ChangeRecord next() throws IOException {
    FieldReader.Field first = fields.next();
    if (first == null) {
      return null;
    }
    entry++;
    if (first.oversized()) {
      return new BadRecord(entry, first.text(), first.oversizedReason());
    }
    if (!StatusToken.isStatus(first.bytes())) {
      try {
        return new ChangeEntry(entry, Status.BARE, List.of(decoder.decode(first.bytes(), "path")));
      } catch (MalformedRecordException e) {
        return new BadRecord(entry, first.text(), e.getMessage());
      }
    }
    int expected = Status.ofLetter((char) first.bytes()[0]).pathCount();
    List<FieldReader.Field> all = new ArrayList<>(1 + expected);
    all.add(first);
    for (int i = 0; i < expected; i++) {
      FieldReader.Field path = fields.next();
      if (path == null) {
        break;
      }
      all.add(path);
    }
    String text = all.stream().map(FieldReader.Field::text).collect(Collectors.joining("\t"));
    for (FieldReader.Field f : all) {
      if (f.oversized()) {
        return new BadRecord(entry, text, f.oversizedReason());
      }
    }
    try {
      return parse(all, expected);
    } catch (MalformedRecordException e) {
      return new BadRecord(entry, text, e.getMessage());
    }
  }

  private ChangeEntry parse(List<FieldReader.Field> all, int expected)
      throws MalformedRecordException {
    byte[] status = all.get(0).bytes();
    StatusToken token = StatusToken.parse(status, 0, status.length);
    int found = all.size() - 1;
    if (found < expected) {
      throw new MalformedRecordException(
          String.format(
              "input ended after '%s' and %d path%s: it takes %d (%s, NUL-separated)",
              token.text(),
              found,
              found == 1 ? "" : "s",
              expected,
              expected == 1 ? "path" : "old, new"));
    }
    List<String> paths = new ArrayList<>(expected);
    for (int i = 1; i <= expected; i++) {
      String what = expected == 1 ? "path" : i == 1 ? "old path" : "new path";
      paths.add(decoder.decode(all.get(i).bytes(), what));
    }
    return new ChangeEntry(entry, token.status(), token.score(), paths);
  }
}
