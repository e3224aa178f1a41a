package dev.quarry.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Turns a 200 answer of {@code /v1/embeddings} into vectors, or refuses it. What a bad endpoint may
 * send must never reach an index, so every property the index relies on is checked: the body is
 * JSON with a {@code data} array of exactly as many items as inputs; their {@code index} values are
 * a permutation of {@code 0..n-1}; every {@code embedding} is an array of numbers of the expected
 * length (of one common length when none is expected yet), all finite. Vectors are returned in
 * input order.
 */
final class ResponseValidator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResponseValidator() {}

  /**
   * @param dimensions the expected vector length, or 0 when not known yet (the probe at open)
   * @param endpoint named in the messages
   * @throws RemoteCallException of kind INVALID_RESPONSE saying what is wrong
   */
  static float[][] vectors(byte[] body, int inputs, int dimensions, String endpoint) throws RemoteCallException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid(endpoint, "the body is not valid JSON (" + body.length + " bytes, truncated?)");
    }
    if (root == null || !root.isObject()) {
      throw invalid(endpoint, "the body is not a JSON object");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw invalid(endpoint, "no 'data' array");
    }
    if (data.size() != inputs) {
      throw invalid(endpoint, data.size() + " embeddings for " + inputs + " inputs");
    }
    float[][] out = new float[inputs][];
    int expected = dimensions;
    for (int i = 0; i < inputs; i++) {
      JsonNode item = data.get(i);
      JsonNode index = item == null ? null : item.get("index");
      if (index == null || !index.canConvertToInt() || !index.isIntegralNumber()) {
        throw invalid(endpoint, "data[" + i + "] has no integer 'index'");
      }
      int at = index.intValue();
      if (at < 0 || at >= inputs) {
        throw invalid(endpoint, "data[" + i + "].index " + at + " is outside 0.." + (inputs - 1));
      }
      if (out[at] != null) {
        throw invalid(endpoint, "index " + at + " appears twice");
      }
      JsonNode embedding = item.get("embedding");
      if (embedding == null || !embedding.isArray()) {
        throw invalid(endpoint, "data[" + i + "] has no 'embedding' array (base64 is not supported)");
      }
      if (expected == 0) {
        expected = embedding.size();
        if (expected == 0) {
          throw invalid(endpoint, "data[" + i + "].embedding is empty");
        }
      }
      if (embedding.size() != expected) {
        throw invalid(endpoint, "data[" + i + "].embedding has " + embedding.size() + " dimensions, expected "
            + expected);
      }
      float[] vector = new float[expected];
      for (int d = 0; d < expected; d++) {
        JsonNode v = embedding.get(d);
        if (!v.isNumber()) {
          throw invalid(endpoint, "data[" + i + "].embedding[" + d + "] is not a number");
        }
        float f = v.floatValue();
        if (!Float.isFinite(f)) {
          throw invalid(endpoint, "data[" + i + "].embedding[" + d + "] is not finite (" + v.asText() + ")");
        }
        vector[d] = f;
      }
      out[at] = vector;
    }
    return out; // n distinct indexes in 0..n-1: a permutation, every slot filled
  }

  private static RemoteCallException invalid(String endpoint, String what) {
    return new RemoteCallException(RemoteCallException.Kind.INVALID_RESPONSE,
        "invalid response from " + endpoint + ": " + what);
  }
}
