package dev.quarry.changes;

import java.io.IOException;

/** The records of one framing, read one at a time. */
interface RecordSource {

  /** The next record, or null once the input is exhausted. */
  ChangeRecord next() throws IOException;
}
