package dev.quarry.changes;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A parsed change list as a sync run consumes it: one request per path. Git's status letter is not
 * trusted, the disk is: a rename's old path is removed because it is gone, not because the line
 * says R, so a list made before later edits still leaves the index as the tree is.
 */
public final class ChangeLists {
  private ChangeLists() {}

  /** The requests of the change list on {@code in}, streamed. */
  public static Iterator<ChangeRequest> requests(InputStream in, Framing framing) {
    Iterator<ChangeRecord> records = ChangeListParser.iterator(in, framing);
    String noun = framing == Framing.NUL ? "record " : "line ";
    return new Iterator<>() {
      private final Deque<ChangeRequest> pending = new ArrayDeque<>(2);

      @Override
      public boolean hasNext() {
        return !pending.isEmpty() || records.hasNext();
      }

      @Override
      public ChangeRequest next() {
        if (pending.isEmpty()) {
          if (!records.hasNext()) {
            throw new NoSuchElementException();
          }
          switch (records.next()) {
            case BadRecord bad ->
                pending.add(
                    new ChangeRequest.Unparseable(noun + bad.record(), bad.text(), bad.reason()));
            case ChangeEntry entry -> {
              for (String path : entry.paths()) {
                pending.add(new ChangeRequest.PathChange(noun + entry.record(), path));
              }
            }
          }
        }
        return pending.poll();
      }
    };
  }
}
