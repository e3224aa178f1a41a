package dev.quarry.embed;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where vectors come from: {@code local} (the in-process model, the default) or {@code openai:URL}
 * (any OpenAI-compatible {@code /v1/embeddings} endpoint, e.g. a {@code quarry serve
 * --embeddings}). Parsed once from the {@code embedder} setting.
 */
public sealed interface EmbedderSpec permits EmbedderSpec.Local, EmbedderSpec.OpenAi {

  /** What {@link #parse} accepts, for error messages. */
  String FORMS = "local, openai:URL (e.g. openai:http://127.0.0.1:8080/v1)";

  /** The setting's text for this spec. */
  String text();

  /** The in-process model. */
  record Local() implements EmbedderSpec {
    @Override
    public String text() {
      return "local";
    }
  }

  /**
   * An OpenAI-compatible endpoint.
   *
   * @param endpoint the base URL ({@code http://host:port/v1}) or the full {@code .../embeddings}
   *     URL
   * @param concurrency the most requests in flight at once for one model
   * @param maxTokens the window assumed for a model whose server does not report one
   */
  record OpenAi(URI endpoint, int concurrency, int maxTokens) implements EmbedderSpec {
    /**
     * Requests in flight at once unless set: enough to hide a round trip behind another's compute.
     */
    public static final int DEFAULT_CONCURRENCY = 4;

    /** Most OpenAI-style embedding models take at least 512 tokens. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    public OpenAi {
      String scheme = endpoint.getScheme();
      if (scheme == null
          || !(scheme.equals("http") || scheme.equals("https"))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "the endpoint must be an http or https URL, got '" + endpoint + "'");
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
      if (maxTokens < 8) {
        throw new IllegalArgumentException("maxTokens must be at least 8, got " + maxTokens);
      }
    }

    public OpenAi withConcurrency(int count) {
      return new OpenAi(endpoint, count, maxTokens);
    }

    public OpenAi withMaxTokens(int tokens) {
      return new OpenAi(endpoint, concurrency, tokens);
    }

    @Override
    public String text() {
      return "openai:" + endpoint;
    }
  }

  static EmbedderSpec local() {
    return new Local();
  }

  /**
   * Parses {@code local} or {@code openai:URL}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static EmbedderSpec parse(String text) {
    String s = text.trim();
    if (s.equalsIgnoreCase("local")) {
      return new Local();
    }
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!kind.equals("openai") || colon == s.length() - 1) {
      throw new IllegalArgumentException("unknown embedder '" + text + "'; use one of: " + FORMS);
    }
    try {
      return new OpenAi(
          new URI(s.substring(colon + 1)), OpenAi.DEFAULT_CONCURRENCY, OpenAi.DEFAULT_MAX_TOKENS);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "bad URL in embedder '" + text + "': " + e.getMessage(), e);
    }
  }
}
