package dev.quarry.embed.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Reads and writes the wire records with quarry-core's mapper. Reading is strict, as what an
 * endpoint or a client sends is untrusted: a null where a number belongs, a fraction where an
 * integer belongs, a string where a number belongs are refused with the path of the value, not
 * turned into 0 or truncated. Unknown fields are ignored (providers add their own).
 */
public final class OpenAiWire {
  private static final ObjectReader STRICT =
      QuarryJson.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private OpenAiWire() {}

  /**
   * {@code body} as a {@code type}.
   *
   * @throws WireFormatException saying what is wrong: not JSON, or which value is not what it must
   *     be
   */
  public static <T> T read(byte[] body, Class<T> type) throws WireFormatException {
    try {
      T value = STRICT.forType(type).readValue(body);
      if (value == null) {
        throw new WireFormatException("the body must be a JSON object", true, null);
      }
      return value;
    } catch (StreamReadException e) {
      throw new WireFormatException(
          "the body is not valid JSON: " + firstLine(e.getOriginalMessage()), false, e);
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty()) {
        throw new WireFormatException(
            body.length == 0 ? "the body is empty" : "the body must be a JSON object",
            body.length > 0,
            e);
      }
      Class<?> target = e.getTargetType();
      List<JsonMappingException.Reference> path = e.getPath();
      if (target != null && target.isArray() && path.get(path.size() - 1).getFieldName() == null) {
        target =
            target
                .getComponentType(); // an item of a primitive array: the array names itself as the
        // target
      }
      throw new WireFormatException("'" + path(e) + "' is not " + expected(target), true, e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamReadException broken) { // inside an array of numbers
        throw new WireFormatException(
            "the body is not valid JSON: " + firstLine(broken.getOriginalMessage()), false, e);
      }
      throw new WireFormatException(
          "'" + path(e) + "' is not valid: " + firstLine(e.getOriginalMessage()), true, e);
    } catch (IOException e) {
      throw new IllegalStateException("reading bytes in memory cannot fail", e);
    }
  }

  /** The JSON of a wire record. */
  public static byte[] write(Object value) {
    try {
      return QuarryJson.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a wire record always serialises", e);
    }
  }

  /** {@code data[0].embedding[3]}: where in the body the bad value is. */
  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Float.class
        || type == float.class
        || type == Double.class
        || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
