package dev.quarry.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The Jackson mapper of quarry-core. A mapper is costly to build and caches what it learns of each
 * type, so the module shares one; it is thread-safe once built and must never be reconfigured.
 * Another module that needs different output (the CLI pretty-prints) builds its own from {@link
 * #builder()}, so both read and write the same types the same way.
 */
public final class QuarryJson {
  /** The shared instance. */
  public static final JsonMapper MAPPER = builder().build();

  private QuarryJson() {}

  /**
   * A builder with Quarry's settings: properties a type does not know are ignored (a report written
   * by a newer Quarry, a provider's extra fields such as {@code usage}); scalars are not coerced (a
   * string is not read as a number, nor a number as a string: what crosses a boundary is what it
   * says it is); {@link Instant}s are ISO-8601 text ({@code Instant.toString()}), as run reports
   * have always stored them, without the java.time module (one dependency less for one type).
   */
  public static JsonMapper.Builder builder() {
    SimpleModule time =
        new SimpleModule("quarry-instant-as-text")
            .addSerializer(Instant.class, ToStringSerializer.instance)
            .addDeserializer(Instant.class, new InstantText());
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // Not covered by the feature above: numbers and booleans read as strings.
        .withCoercionConfig(
            LogicalType.Textual,
            text ->
                text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .addModule(time);
  }

  /** An {@link Instant} from its ISO-8601 text. */
  private static final class InstantText extends StdScalarDeserializer<Instant> {
    InstantText() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      if (text == null) {
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant)
            context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
      }
    }
  }
}
