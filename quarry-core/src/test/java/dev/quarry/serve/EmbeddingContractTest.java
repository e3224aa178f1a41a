package dev.quarry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.embed.EmbedderSpec;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.remote.ApiKey;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.embed.remote.RemoteOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAI-compatible embeddings contract ({@link EmbeddingRoutes}), spoken to over loopback with
 * the real model: by raw HTTP (the OpenAI shape, errors) and by {@link RemoteEmbeddingModel}, whose
 * vectors must be the local model's. Each server that serves the contract runs it: a subclass says
 * how to start one ({@code quarry serve --embeddings}'s, and the search server's for its index's
 * model).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmbeddingContractTest {
  /** The body bound every served contract runs with (the 413 case names it). */
  protected static final int MAX_REQUEST_BYTES = 64 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The model served, loaded here to compare with. */
  protected EmbeddingModel local;

  private Served served;

  /** A running server of the contract. */
  protected interface Served extends AutoCloseable {
    /** Its base URL, ending in {@code /v1}. */
    URI v1();

    @Override
    void close();
  }

  /**
   * Starts the server under test, serving the vectors of {@code model} (or of the same model, by
   * identity) on loopback as {@code options} say.
   */
  protected abstract Served serve(EmbeddingModel model, ServeOptions options) throws Exception;

  @BeforeAll
  void start() throws Exception {
    local = EmbeddingModels.load(EmbeddingModels.DEFAULT, 2);
    served = serve(local, ServeOptions.loopback(0).withMaxRequestBytes(MAX_REQUEST_BYTES));
  }

  @AfterAll
  void stop() {
    if (served != null) {
      served.close();
    }
    if (local != null) {
      local.close();
    }
  }

  record Answer(int status, JsonNode body) {}

  Answer post(String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(served.v1().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  Answer get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(served.v1().resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  public void embeddingsHaveTheOpenAiShape() throws Exception {
    Answer answer =
        post("v1/embeddings", "{\"model\":\"all-minilm-l6-v2-q\",\"input\":[\"one\",\"two\"]}");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.body();
    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(body.get("data")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode item = body.get("data").get(i);
      assertThat(item.get("object").asText()).isEqualTo("embedding");
      assertThat(item.get("index").asInt()).isEqualTo(i);
      assertThat(item.get("embedding")).hasSize(384);
    }
    assertThat(body.at("/usage/prompt_tokens").asInt())
        .isEqualTo(6); // a token and [CLS] [SEP] each
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(6);
    // A single string is one input.
    assertThat(post("v1/embeddings", "{\"input\":\"one\"}").body().get("data")).hasSize(1);
  }

  @Test
  public void theVectorsOfNInputsAreTheModelsOwn() throws Exception {
    List<String> texts =
        List.of("launch the rocket", "tomato soup with basil", "retry with backoff");
    for (String text : texts) {
      Answer answer =
          post("v1/embeddings", JSON.writeValueAsString(java.util.Map.of("input", text)));
      assertThat(answer.status()).isEqualTo(200);
      float[] expected = local.embed(List.of(text)).get(0);
      JsonNode actual = answer.body().at("/data/0/embedding");
      assertThat(actual).hasSize(expected.length);
      for (int d = 0; d < expected.length; d++) {
        assertThat((float) actual.get(d).asDouble()).as(text).isCloseTo(expected[d], within(1e-4f));
      }
    }
    // All at once: one vector each, in order (a batch varies the int8 model a little: cosine).
    Answer batch = post("v1/embeddings", JSON.writeValueAsString(java.util.Map.of("input", texts)));
    assertThat(batch.body().get("data")).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      JsonNode item = batch.body().get("data").get(i);
      float[] actual = new float[item.get("embedding").size()];
      for (int d = 0; d < actual.length; d++) {
        actual[d] = (float) item.get("embedding").get(d).asDouble();
      }
      assertThat(item.get("index").asInt()).isEqualTo(i);
      assertThat(cosine(local.embed(List.of(texts.get(i))).get(0), actual)).isGreaterThan(0.98);
    }
  }

  @Test
  public void modelsReportQuarrysIdentity() throws Exception {
    Answer answer = get("v1/models");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode model = answer.body().get("data").get(0);
    assertThat(model.get("id").asText()).isEqualTo(EmbeddingModels.DEFAULT);
    assertThat(model.at("/" + EmbeddingServer.IDENTITY_FIELD + "/id").asText())
        .isEqualTo(local.identity().id());
  }

  @Test
  public void badRequestsGetClearJsonErrors() throws Exception {
    record Case(String body, int status, String message) {}
    List<Case> cases =
        List.of(
            new Case("{not json", 400, "not valid JSON"),
            new Case("[1,2]", 400, "must be a JSON object"),
            new Case("{}", 400, "'input' is required"),
            new Case("{\"input\":[]}", 400, "must not be an empty array"),
            new Case("{\"input\":[\"a\",7]}", 400, "'input[1]' must be a string"),
            new Case("{\"input\":[[1,2]]}", 400, "token arrays are not supported"),
            new Case(
                "{\"input\":\"a\",\"model\":\"gpt-9\"}", 404, "model 'gpt-9' is not served here"),
            new Case("{\"input\":\"a\",\"encoding_format\":\"base64\"}", 400, "only 'float'"),
            new Case("{\"input\":\"" + "a".repeat(70_000) + "\"}", 413, "larger than 65536 bytes"),
            new Case(
                "{\"input\":[" + String.join(",", Collections.nCopies(2049, "\"a\"")) + "]}",
                400,
                "at most 2048"));
    for (Case c : cases) {
      Answer answer = post("v1/embeddings", c.body());
      assertThat(answer.status()).as(c.message()).isEqualTo(c.status());
      assertThat(answer.body().at("/error/message").asText()).as(c.message()).contains(c.message());
      assertThat(answer.body().at("/error/type").asText())
          .as(c.message())
          .isEqualTo("invalid_request_error");
    }
    Answer wrongMethod = get("v1/embeddings");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.body().at("/error/code").asText()).isEqualTo("method_not_allowed");
    assertThat(get("v2/nothing").status()).isEqualTo(404);
  }

  @Test
  public void aTokenIsRequiredWhenOneIsSet() throws Exception {
    String token = "contract-token-0123456789abcdef";
    try (Served guarded = serve(local, ServeOptions.loopback(0).withToken(BearerToken.of(token)))) {
      for (String path : List.of("v1/embeddings", "v1/models")) {
        HttpResponse<String> none =
            HTTP.send(
                HttpRequest.newBuilder(guarded.v1().resolve(path))
                    .header("Content-Type", "application/json")
                    .method(
                        path.endsWith("models") ? "GET" : "POST",
                        path.endsWith("models")
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString("{\"input\":\"a\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer");
        // OpenAI's error shape, so that OpenAI clients read the reason.
        assertThat(JSON.readTree(none.body()).at("/error/message").asText())
            .as(path)
            .contains("requires a token");
      }
      // The token opens it, and a Quarry client that sends it gets the model's vectors.
      try (RemoteEmbeddingModel remote =
          RemoteEmbeddingModel.open(
              RemoteOptions.of(
                  guarded.v1(),
                  EmbeddingModels.DEFAULT,
                  ApiKey.of(token),
                  EmbedderSpec.OpenAi.DEFAULT_MAX_TOKENS))) {
        float[] expected = local.embed(List.of("guarded")).get(0);
        assertThat(cosine(remote.embed(List.of("guarded")).get(0), expected)).isGreaterThan(0.999);
      }
    }
  }

  @Test
  public void concurrentRequestsAreAllAnswered() throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String text = "request number " + i;
        answers.add(pool.submit(() -> post("v1/embeddings", "{\"input\":[\"" + text + "\"]}")));
      }
      for (Future<Answer> answer : answers) {
        assertThat(answer.get().status()).isEqualTo(200);
      }
    }
  }

  @Test
  public void aQuarryClientGetsTheLocalModelsIdentityTokenizerAndVectors() {
    RemoteOptions options =
        RemoteOptions.of(
            served.v1(),
            EmbeddingModels.DEFAULT,
            ApiKey.none(),
            EmbedderSpec.OpenAi.DEFAULT_MAX_TOKENS);
    try (RemoteEmbeddingModel remote = RemoteEmbeddingModel.open(options)) {
      assertThat(remote.identity()).isEqualTo(local.identity());
      assertThat(remote.tokenizer().countTokens("launchRocket safely"))
          .isEqualTo(local.tokenizer().countTokens("launchRocket safely"));
      List<String> texts =
          IntStream.range(0, 24)
              .mapToObj(
                  i ->
                      "Chunk "
                          + i
                          + ": how to launch rocket number "
                          + i
                          + " safely, and land it again.")
              .toList();
      // One text a call on both sides: the same input to the same model, the same vector.
      for (String text : texts.subList(0, 4)) {
        float[] expected = local.embed(List.of(text)).get(0);
        float[] actual = remote.embed(List.of(text)).get(0);
        for (int d = 0; d < expected.length; d++) {
          assertThat(actual[d]).isCloseTo(expected[d], within(1e-4f));
        }
      }
      // Many at once (split over concurrent requests): the int8 model varies a little with the
      // batch's make-up, so compare by cosine.
      List<float[]> expected = local.embed(texts);
      List<float[]> actual = remote.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(cosine(expected.get(i), actual.get(i))).as(texts.get(i)).isGreaterThan(0.98);
      }
    }
  }

  @Test
  public void theBaseUrlMayBeGivenWithOrWithoutV1OrAsTheFullEmbeddingsUrl() {
    URI base = served.v1();
    String origin = base.getScheme() + "://" + base.getRawAuthority();
    for (String url : List.of(origin, origin + "/v1/", origin + "/v1/embeddings")) {
      try (RemoteEmbeddingModel remote =
          RemoteEmbeddingModel.open(
              RemoteOptions.of(URI.create(url), EmbeddingModels.DEFAULT, ApiKey.none(), 512))) {
        assertThat(remote.identity()).as(url).isEqualTo(local.identity());
      }
    }
  }
}
