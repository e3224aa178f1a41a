package dev.quarry.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;

/** JSON output for {@code --json}: one pretty-printed document on stdout. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise output: " + e.getMessage(), e);
    }
  }

  /**
   * A JSON array written to {@code out} value by value, laid out as {@link #write} lays out a list,
   * for listings too long to hold whole. Closing it ends the array and leaves {@code out} open.
   */
  static SequenceWriter arrayTo(Writer out) throws IOException {
    // Not flushed value by value: a flush per file would be a system call per line of output.
    return MAPPER.writer()
        .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
        .writeValuesAsArray(out);
  }
}
