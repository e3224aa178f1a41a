package dev.quarry.bench.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON mapper of quarry-bench: one instance, configured here, shared by every class of the
 * module (an {@link ObjectMapper} is thread-safe once configured, and costly to build).
 *
 * <ul>
 *   <li>{@code Optional} components: empty is written as {@code null}, or left out where a record
 *       says {@code @JsonInclude(NON_ABSENT)} (the history's details);
 *   <li>{@code Instant}: an ISO-8601 string, as {@link java.time.Instant#toString()} writes it;
 *   <li>unknown properties are ignored when reading, so a history written by a later version (a new
 *       detail) is still read.
 * </ul>
 */
public final class BenchJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private BenchJson() {}

  /** The shared mapper. Never reconfigure it: derive a reader or writer instead. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code value} as one line of JSON. */
  public static String compact(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** {@code value} as indented JSON (the layout of the CLI's {@code --json} output). */
  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
