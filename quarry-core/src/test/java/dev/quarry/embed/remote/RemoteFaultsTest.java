package dev.quarry.embed.remote;

import static dev.quarry.embed.remote.FaultyEndpoint.dimensions;
import static dev.quarry.embed.remote.FaultyEndpoint.duplicateIndex;
import static dev.quarry.embed.remote.FaultyEndpoint.malformedJson;
import static dev.quarry.embed.remote.FaultyEndpoint.missingOne;
import static dev.quarry.embed.remote.FaultyEndpoint.rateLimited;
import static dev.quarry.embed.remote.FaultyEndpoint.reversed;
import static dev.quarry.embed.remote.FaultyEndpoint.slow;
import static dev.quarry.embed.remote.FaultyEndpoint.status;
import static dev.quarry.embed.remote.FaultyEndpoint.truncated;
import static dev.quarry.embed.remote.FaultyEndpoint.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.embed.EmbeddingException;
import dev.quarry.embed.ModelIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote model against a real endpoint on loopback that misbehaves on purpose: every fault
 * either is ridden out (retries, Retry-After) or ends in a clean {@link EmbeddingException} that
 * names the endpoint and never the API key; no bad vector is ever returned.
 */
class RemoteFaultsTest {
  static final String KEY = "sk-test-very-secret-4711";
  static final List<String> TEXTS = List.of("alpha", "beta", "gamma");

  FaultyEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = new FaultyEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  /** Fast retries so the tests take milliseconds; the probe at open is answered correctly. */
  RemoteOptions options() {
    return RemoteOptions.of(endpoint.uri(), "test-model", ApiKey.of(KEY), 512)
        .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20))
        .withRequestTimeout(Duration.ofSeconds(5))
        .withConcurrency(1); // one request a call, so request counts are exact
  }

  RemoteEmbeddingModel open(RemoteOptions options) {
    return RemoteEmbeddingModel.open(options);
  }

  static void assertSameVectors(List<float[]> vectors, List<String> texts) {
    assertThat(vectors).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i))
          .as("vector of %s", texts.get(i))
          .containsExactly(FaultyEndpoint.vector(texts.get(i)));
    }
  }

  EmbeddingException failure(RemoteEmbeddingModel model) {
    try {
      model.embed(TEXTS);
    } catch (EmbeddingException e) {
      assertThat(e.getMessage())
          .contains(endpoint.uri().getHost() + ":" + endpoint.uri().getPort());
      assertThat(e.getMessage()).doesNotContain(KEY);
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
        assertThat(t.toString()).doesNotContain(KEY);
      }
      return e;
    }
    throw new AssertionError("expected an EmbeddingException");
  }

  @Test
  void identityOfAnEndpointThatIsNotQuarryComesFromTheModelNameAndAProbe() {
    try (RemoteEmbeddingModel model = open(options())) {
      ModelIdentity identity = model.identity();
      assertThat(identity)
          .isEqualTo(
              new ModelIdentity(
                  "test-model", "remote", FaultyEndpoint.DIMENSIONS, 512, "remote", true));
      assertThat(model.tokenizer()).isInstanceOf(ApproximateTokenizer.class);
      assertThat(endpoint.authorizations()).isNotEmpty().allMatch(a -> a.equals("Bearer " + KEY));
    }
  }

  @Test
  void aShippedModelsQueryPrefixIsAddedByTheClientToQueriesOnly() {
    try (RemoteEmbeddingModel bge =
            open(
                RemoteOptions.of(endpoint.uri(), "bge-small-en-v1.5-q", ApiKey.of(KEY), 512)
                    .withConcurrency(1));
        RemoteEmbeddingModel other = open(options())) {
      String prefix = "Represent this sentence for searching relevant passages: ";
      assertThat(bge.embedQuery("protein folding"))
          .containsExactly(FaultyEndpoint.vector(prefix + "protein folding"));
      assertSameVectors(bge.embed(TEXTS), TEXTS);
      assertThat(other.embedQuery("protein folding"))
          .containsExactly(FaultyEndpoint.vector("protein folding"));
    }
  }

  @Test
  void vectorsComeBackInInputOrderWhateverTheOrderOfTheAnswer() {
    try (RemoteEmbeddingModel model = open(options())) {
      endpoint.always(reversed());
      List<String> texts = IntStream.range(0, 100).mapToObj(i -> "text " + i).toList();
      assertSameVectors(model.embed(texts), texts);
    }
  }

  @Test
  void aLargeCallIsSplitAcrossConcurrentRequestsBoundedByTheConcurrency() {
    try (RemoteEmbeddingModel model = open(options().withConcurrency(3))) {
      // Each request is held a moment so that the requests of one call overlap.
      endpoint.always(slow(150));
      List<String> texts = IntStream.range(0, 48).mapToObj(i -> "text " + i).toList();
      assertSameVectors(model.embed(texts), texts);
      assertThat(endpoint.maxInFlight()).isEqualTo(3);
      assertThat(endpoint.batchSizes().subList(1, endpoint.batchSizes().size()))
          .allMatch(n -> n <= 16);
    }
  }

  @Test
  void requestsAreBoundedByApproximateTokens() {
    try (RemoteEmbeddingModel model =
        open(options().withConcurrency(1).withBatchBounds(256, 100))) {
      List<String> texts =
          IntStream.range(0, 10).mapToObj(i -> "x".repeat(90)).toList(); // ~33 tokens each
      assertSameVectors(model.embed(texts), texts);
      // The parts of one call may reach the server in any order, even one at a time.
      assertThat(endpoint.batchSizes().subList(1, endpoint.batchSizes().size()))
          .containsExactlyInAnyOrder(3, 3, 3, 1);
    }
  }

  @Test
  void serverErrorsAreRetriedUntilTheEndpointRecovers() {
    try (RemoteEmbeddingModel model = open(options())) {
      endpoint.then(status(500, "boom"), status(503, "busy"));
      assertSameVectors(model.embed(TEXTS), TEXTS);
      assertThat(endpoint.requests()).isEqualTo(1 + 3);
    }
  }

  @Test
  void aTimeoutIsRetried() {
    try (RemoteEmbeddingModel model = open(options().withRequestTimeout(Duration.ofMillis(300)))) {
      endpoint.then(slow(3_000));
      assertSameVectors(model.embed(TEXTS), TEXTS);
      assertThat(endpoint.requests()).isEqualTo(1 + 2);
    }
  }

  @Test
  void persistentTimeoutsFailCleanly() {
    try (RemoteEmbeddingModel model = open(options().withRequestTimeout(Duration.ofMillis(200)))) {
      endpoint.always(slow(3_000));
      assertThat(failure(model))
          .hasMessageContaining("no answer within 200 ms")
          .hasMessageContaining("after 3 tries");
    }
  }

  @Test
  void aBodyThatStallsAfterTheHeadersTimesOutToo() {
    try (RemoteEmbeddingModel model = open(options().withRequestTimeout(Duration.ofMillis(500)))) {
      endpoint.then(FaultyEndpoint.stalledBody());
      long started = System.nanoTime();
      assertSameVectors(model.embed(TEXTS), TEXTS);
      assertThat(endpoint.requests()).isEqualTo(1 + 2);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aRateLimitIsWaitedOutForAtLeastItsRetryAfter() {
    try (RemoteEmbeddingModel model = open(options())) {
      endpoint.then(rateLimited("1"));
      assertSameVectors(model.embed(TEXTS), TEXTS);
      List<Long> at = endpoint.requestNanos();
      assertThat(at).hasSize(3);
      assertThat(Duration.ofNanos(at.get(2) - at.get(1)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }
  }

  @Test
  void persistentServerErrorsOpenTheCircuitWhichThenFailsFastWithoutARequest() {
    RemoteOptions options = options().withCircuitBreaker(4, Duration.ofMinutes(5));
    try (RemoteEmbeddingModel model = open(options)) {
      endpoint.always(status(500, "down"));
      assertThat(failure(model))
          .hasMessageContaining("HTTP 500: down")
          .hasMessageContaining("after 3 tries");
      assertThat(model.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
      // The fourth consecutive failure opens the circuit; the retry after it is refused at once.
      assertThat(failure(model)).hasMessageContaining("circuit open after 4 consecutive failures");
      assertThat(model.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
      int requests = endpoint.requests();
      long started = System.nanoTime();
      assertThat(failure(model)).hasMessageContaining("circuit open");
      assertThat(endpoint.requests()).isEqualTo(requests);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aRefusedRequestIsNotRetriedAndTheKeyItEchoesIsRedacted() {
    try (RemoteEmbeddingModel model = open(options())) {
      endpoint.then(status(401, "Incorrect API key provided: " + KEY));
      assertThat(failure(model))
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("Incorrect API key provided: ***");
      assertThat(endpoint.requests()).isEqualTo(1 + 1);
    }
  }

  @Test
  void aTruncatedBodyIsRejected() {
    try (RemoteEmbeddingModel model = open(options())) {
      endpoint.always(truncated());
      assertThat(failure(model)).hasMessageContaining("POST");
    }
  }

  @Test
  void badAnswersAreRejectedAndNeverReturned() {
    record Case(FaultyEndpoint.Fault fault, String message) {}
    List<Case> cases =
        new ArrayList<>(
            List.of(
                new Case(malformedJson(), "not valid JSON"),
                new Case(missingOne(), "2 embeddings for 3 inputs"),
                new Case(dimensions(7), "has 7 dimensions, expected 8"),
                new Case(value("NaN"), "not valid JSON"),
                new Case(value("1e40"), "is not finite"),
                new Case(value("\"0.5\""), "is not a number"),
                new Case(duplicateIndex(), "index 0 appears twice")));
    try (RemoteEmbeddingModel model =
        open(options().withCircuitBreaker(100, Duration.ofMinutes(1)))) {
      for (Case c : cases) {
        int before = endpoint.requests();
        endpoint.then(c.fault());
        assertThat(failure(model))
            .as("%s", c.message())
            .hasMessageContaining("invalid response from")
            .hasMessageContaining(c.message());
        assertThat(endpoint.requests())
            .as("an invalid answer is not retried")
            .isEqualTo(before + 1);
      }
      // The endpoint answering well again, the model works again.
      assertSameVectors(model.embed(TEXTS), TEXTS);
    }
  }

  @Test
  void anUnreachableEndpointFailsAtOpenNamingItButNotTheKey() {
    endpoint.close();
    assertThatThrownBy(() -> open(options()))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("127.0.0.1:" + endpoint.uri().getPort())
        .hasMessageNotContaining(KEY);
  }
}
