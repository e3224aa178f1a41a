package dev.quarry.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.io.Writer;

/**
 * JSON output for {@code --json}: one pretty-printed document on stdout. Its mapper is the CLI's
 * one: quarry-core's settings ({@link QuarryJson#builder()}), indented.
 */
final class Json {
  private static final JsonMapper MAPPER =
      QuarryJson.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

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
    return MAPPER
        .writer()
        .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
        .writeValuesAsArray(out);
  }
}
