package dev.quarry.embed.remote;

import dev.quarry.embed.openai.EmbeddingsResponse;
import dev.quarry.embed.openai.OpenAiWire;
import dev.quarry.embed.openai.WireFormatException;
import java.util.List;

/**
 * Turns a 200 answer of {@code /v1/embeddings} into vectors, or refuses it. What a bad endpoint may
 * send must never reach an index, so every property the index relies on is checked: the body is an
 * {@link EmbeddingsResponse} (read strictly: a string, a null or a fraction where a number or an
 * integer belongs is refused) with a {@code data} array of exactly as many items as inputs; their
 * {@code index} values are a permutation of {@code 0..n-1}; every {@code embedding} is an array of
 * numbers of the expected length (of one common length when none is expected yet), all finite.
 * Vectors are returned in input order.
 */
final class ResponseValidator {
  private ResponseValidator() {}

  /**
   * @param dimensions the expected vector length, or 0 when not known yet (the probe at open)
   * @param endpoint named in the messages
   * @throws RemoteCallException of kind INVALID_RESPONSE saying what is wrong
   */
  static float[][] vectors(byte[] body, int inputs, int dimensions, String endpoint)
      throws RemoteCallException {
    EmbeddingsResponse response;
    try {
      response = OpenAiWire.read(body, EmbeddingsResponse.class);
    } catch (WireFormatException e) {
      throw invalid(
          endpoint,
          e.json()
              ? e.getMessage()
              : "the body is not valid JSON (" + body.length + " bytes, truncated?)");
    }
    List<EmbeddingsResponse.Embedding> data = response.data();
    if (data == null) {
      throw invalid(endpoint, "no 'data' array");
    }
    if (data.size() != inputs) {
      throw invalid(endpoint, data.size() + " embeddings for " + inputs + " inputs");
    }
    float[][] out = new float[inputs][];
    int expected = dimensions;
    for (int i = 0; i < inputs; i++) {
      EmbeddingsResponse.Embedding item = data.get(i);
      Integer index = item == null ? null : item.index();
      if (index == null) {
        throw invalid(endpoint, "data[" + i + "] has no integer 'index'");
      }
      int at = index;
      if (at < 0 || at >= inputs) {
        throw invalid(endpoint, "data[" + i + "].index " + at + " is outside 0.." + (inputs - 1));
      }
      if (out[at] != null) {
        throw invalid(endpoint, "index " + at + " appears twice");
      }
      float[] vector = item.embedding();
      if (vector == null) {
        throw invalid(
            endpoint, "data[" + i + "] has no 'embedding' array (base64 is not supported)");
      }
      if (expected == 0) {
        expected = vector.length;
        if (expected == 0) {
          throw invalid(endpoint, "data[" + i + "].embedding is empty");
        }
      }
      if (vector.length != expected) {
        throw invalid(
            endpoint,
            "data[" + i + "].embedding has " + vector.length + " dimensions, expected " + expected);
      }
      for (int d = 0; d < expected; d++) {
        if (!Float.isFinite(vector[d])) {
          throw invalid(
              endpoint, "data[" + i + "].embedding[" + d + "] is not finite (" + vector[d] + ")");
        }
      }
      out[at] = vector;
    }
    return out; // n distinct indexes in 0..n-1: a permutation, every slot filled
  }

  private static RemoteCallException invalid(String endpoint, String what) {
    return new RemoteCallException(
        RemoteCallException.Kind.INVALID_RESPONSE,
        "invalid response from " + endpoint + ": " + what);
  }
}
