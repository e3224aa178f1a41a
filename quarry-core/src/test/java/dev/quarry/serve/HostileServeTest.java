package dev.quarry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.remote.ApiKey;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.embed.remote.RemoteOptions;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code quarry serve --embeddings}'s server against hostile clients, over real loopback HTTP: web
 * pages (foreign Host, Origin, text/plain), slow clients, floods, clients that leave, and token
 * checks.
 */
class HostileServeTest {
  static final String JSON = "application/json";
  static final String BODY = "{\"input\":\"hello\"}";
  static EmbeddingModel local;
  static EmbeddingServer server;

  @BeforeAll
  static void start() throws Exception {
    local = EmbeddingModels.load(EmbeddingModels.DEFAULT, 1);
    server =
        EmbeddingServer.start(
            local, ServeOptions.loopback(0).withReadTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
    local.close();
  }

  @Test
  @Tag("hostile")
  void whatJettyRefusesItselfIsAJsonErrorNotAnHtmlPage() throws Exception {
    int port = server.port();
    RawHttp.Reply badLine = RawHttp.exchange(port, "GET", "/v1/models x y", Map.of(), "");
    RawHttp.Reply hugeHeader =
        RawHttp.exchange(port, "GET", "/v1/models", Map.of("X-Filler", "a".repeat(64 << 10)), "");
    for (RawHttp.Reply reply : List.of(badLine, hugeHeader)) {
      assertThat(reply.status()).isBetween(400, 499);
      assertThat(reply.header("Content-Type")).startsWith(JSON);
      assertThat(reply.body()).startsWith("{\"error\":\"").doesNotContain("<html", "Jetty");
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 10: a cross-site "simple" request (text/plain, foreign Host or Origin) is
  // refused.
  void crossSiteSimpleRequestsAreRefused() throws Exception {
    int port = server.port();
    RawHttp.Reply plain =
        RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", "text/plain"), BODY);
    assertThat(plain.status()).isEqualTo(415);
    assertThat(plain.body()).contains("application/json");
    RawHttp.Reply none = RawHttp.post(port, "/v1/embeddings", Map.of(), BODY);
    assertThat(none.status()).isEqualTo(415);

    RawHttp.Reply foreignHost =
        RawHttp.post(
            port,
            "/v1/embeddings",
            Map.of("Host", "attacker.example:" + port, "Content-Type", JSON),
            BODY);
    assertThat(foreignHost.status()).isEqualTo(421);
    assertThat(foreignHost.body()).contains("attacker.example");
    RawHttp.Reply foreignModels =
        RawHttp.exchange(port, "GET", "/v1/models", Map.of("Host", "attacker.example"), "");
    assertThat(foreignModels.status()).isEqualTo(421);

    RawHttp.Reply foreignOrigin =
        RawHttp.post(
            port,
            "/v1/embeddings",
            Map.of("Origin", "http://attacker.example", "Content-Type", JSON),
            BODY);
    assertThat(foreignOrigin.status()).isEqualTo(403);
    assertThat(foreignOrigin.body()).contains("http://attacker.example");
    assertThat(
            RawHttp.post(
                    port, "/v1/embeddings", Map.of("Origin", "null", "Content-Type", JSON), BODY)
                .status())
        .isEqualTo(403);

    // Loopback names (with or without the port), the server's own origin and JSON pass.
    for (String host : new String[] {"localhost", "127.0.0.1:" + port, "[::1]:" + port}) {
      RawHttp.Reply ok =
          RawHttp.post(
              port,
              "/v1/embeddings",
              Map.of("Host", host, "Content-Type", JSON + "; charset=utf-8"),
              BODY);
      assertThat(ok.status()).as(host).isEqualTo(200);
    }
    assertThat(
            RawHttp.post(
                    port,
                    "/v1/embeddings",
                    Map.of("Origin", "http://localhost:" + port, "Content-Type", JSON),
                    BODY)
                .status())
        .isEqualTo(200);
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 16: a client that sends its request a byte at a time is dropped, others served.
  void aSlowClientIsDroppedWhileOthersAreServed() throws Exception {
    int port = server.port();
    try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port);
        Socket halfBody = new Socket(InetAddress.getLoopbackAddress(), port)) {
      // Half a body: the headers promise 100 bytes, 10 come.
      OutputStream out = halfBody.getOutputStream();
      out.write(
          ("POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"input\":")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // Headers a byte at a time, faster than the idle timeout, never finished.
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      OutputStream o = slow.getOutputStream();
                      o.write(
                          "POST /v1/embeddings HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                      for (int i = 0; i < 10_000; i++) {
                        o.write('X');
                        o.flush();
                        Thread.sleep(100);
                      }
                    } catch (Exception e) {
                      // the server closed the connection: what the test waits for
                    }
                  });
      // Others are served meanwhile.
      assertThat(RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY).status())
          .isEqualTo(200);
      RawHttp.awaitClosed(halfBody, Duration.ofSeconds(20));
      RawHttp.awaitClosed(slow, Duration.ofSeconds(20));
      trickle.interrupt();
      assertThat(RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY).status())
          .isEqualTo(200);
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 8: with a token, every request must carry it; Quarry's client sends its API key.
  void aTokenIsDemandedAndAQuarryClientWithTheKeyGetsThrough() throws Exception {
    String token = "s3cret-token-0123456789abcdef";
    try (EmbeddingServer guarded =
        EmbeddingServer.start(local, ServeOptions.loopback(0).withToken(BearerToken.of(token)))) {
      int port = guarded.port();
      RawHttp.Reply none = RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).isEqualTo("bearer");
      assertThat(none.body()).contains("invalid_api_key").contains("Authorization: Bearer");
      RawHttp.Reply wrong =
          RawHttp.post(
              port,
              "/v1/embeddings",
              Map.of("Content-Type", JSON, "Authorization", "Bearer " + token + "x"),
              BODY);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(token);
      assertThat(
              RawHttp.exchange(
                      port, "GET", "/v1/models", Map.of("Authorization", "Basic " + token), "")
                  .status())
          .isEqualTo(401);
      assertThat(
              RawHttp.post(
                      port,
                      "/v1/embeddings",
                      Map.of("Content-Type", JSON, "Authorization", "Bearer " + token),
                      BODY)
                  .status())
          .isEqualTo(200);

      RemoteOptions withKey =
          RemoteOptions.of(guarded.baseUri(), EmbeddingModels.DEFAULT, ApiKey.of(token), 512);
      try (RemoteEmbeddingModel remote = RemoteEmbeddingModel.open(withKey)) {
        assertThat(remote.identity()).isEqualTo(local.identity());
        assertThat(remote.embed(List.of("launch the rocket")).get(0)).hasSize(384);
      }
      RemoteOptions withoutKey =
          RemoteOptions.of(guarded.baseUri(), EmbeddingModels.DEFAULT, ApiKey.none(), 512);
      assertThatThrownBy(() -> RemoteEmbeddingModel.open(withoutKey).close())
          .hasMessageContaining("401");
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 8: a non-loopback address without a token is refused before anything listens.
  void aNonLoopbackAddressWithoutATokenIsRefused() {
    for (String host : List.of("0.0.0.0", "::")) {
      ServeOptions open = ServeOptions.of(new InetSocketAddress(host, 0));
      assertThatThrownBy(() -> EmbeddingServer.start(local, open).close())
          .as(host)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs a token")
          .hasMessageContaining("QUARRY_SERVE_TOKEN");
    }
    assertThatThrownBy(() -> BearerToken.of("short"))
        .hasMessageContaining("at least 16 characters");
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 16 (and the listen message): a wildcard bind gives a usable loopback URL.
  void aWildcardBindGivesAUsableUrl() throws Exception {
    String token = "another-token-0123456789abcdef";
    try (EmbeddingServer everywhere =
        EmbeddingServer.start(
            local,
            ServeOptions.of(new InetSocketAddress("0.0.0.0", 0))
                .withToken(BearerToken.of(token)))) {
      assertThat(everywhere.listensOnAllAddresses()).isTrue();
      assertThat(everywhere.baseUri().toString())
          .isEqualTo("http://127.0.0.1:" + everywhere.port() + "/v1");
      RemoteOptions options =
          RemoteOptions.of(everywhere.baseUri(), EmbeddingModels.DEFAULT, ApiKey.of(token), 512);
      try (RemoteEmbeddingModel remote = RemoteEmbeddingModel.open(options)) {
        assertThat(remote.identity()).isEqualTo(local.identity());
      }
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 16: beyond the requests computing and queued, a request gets 503 + Retry-After.
  void beyondTheQueueRequestsAreToldToComeBack() throws Exception {
    GatedModel gated = new GatedModel(local);
    try (EmbeddingServer busy =
            EmbeddingServer.start(gated, ServeOptions.loopback(0).withConcurrency(1, 1));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      int port = busy.port();
      Future<RawHttp.Reply> first =
          clients.submit(
              () -> RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY));
      GatedModel.await("the first request computes", () -> gated.started.get() == 1, LIMIT);
      Future<RawHttp.Reply> second =
          clients.submit(
              () -> RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY));
      GatedModel.await("the second request waits", () -> busy.waiting() == 1, LIMIT);

      RawHttp.Reply third =
          RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY);
      assertThat(third.status()).isEqualTo(503);
      assertThat(third.header("Retry-After")).isEqualTo("1");
      assertThat(third.body()).contains("overloaded");
      // Cheap requests are not queued behind the model.
      assertThat(RawHttp.exchange(port, "GET", "/v1/models", Map.of(), "").status()).isEqualTo(200);

      gated.open(2);
      assertThat(first.get().status()).isEqualTo(200);
      assertThat(second.get().status()).isEqualTo(200);
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, also seen: a queued request whose client has gone is not computed.
  void aQueuedRequestWhoseClientLeftIsNotComputed() throws Exception {
    GatedModel gated = new GatedModel(local);
    try (EmbeddingServer busy =
            EmbeddingServer.start(gated, ServeOptions.loopback(0).withConcurrency(1, 4));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      int port = busy.port();
      Future<RawHttp.Reply> first =
          clients.submit(
              () ->
                  RawHttp.post(
                      port,
                      "/v1/embeddings",
                      Map.of("Content-Type", JSON),
                      "{\"input\":\"first\"}"));
      GatedModel.await("the first request computes", () -> gated.started.get() == 1, LIMIT);
      String left = "{\"input\":\"the client of this one left\"}";
      try (Socket leaving = new Socket(InetAddress.getLoopbackAddress(), port)) {
        leaving
            .getOutputStream()
            .write(
                ("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                        + "\r\nContent-Length: "
                        + left.length()
                        + "\r\n\r\n"
                        + left)
                    .getBytes(StandardCharsets.ISO_8859_1));
        leaving.getOutputStream().flush();
        GatedModel.await("the second request waits", () -> busy.waiting() == 1, LIMIT);
      }
      // A third request queues behind the second: once it is computed, the second was decided.
      Future<RawHttp.Reply> third =
          clients.submit(
              () ->
                  RawHttp.post(
                      port,
                      "/v1/embeddings",
                      Map.of("Content-Type", JSON),
                      "{\"input\":\"third\"}"));
      GatedModel.await("the third request waits", () -> busy.waiting() == 2, LIMIT);
      gated.open(3);
      assertThat(first.get().status()).isEqualTo(200);
      assertThat(third.get().status()).isEqualTo(200);
      assertThat(gated.embedded).containsExactly("first", "third");
    }
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 16: the read timeout bounds the request's arrival, not the wait for the model.
  void aRequestWaitingForTheModelLongerThanTheReadTimeoutIsAnswered() throws Exception {
    GatedModel gated = new GatedModel(local);
    Duration readTimeout = Duration.ofMillis(500);
    try (EmbeddingServer slowModel =
            EmbeddingServer.start(
                gated,
                ServeOptions.loopback(0).withReadTimeout(readTimeout).withConcurrency(1, 1));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      int port = slowModel.port();
      Future<RawHttp.Reply> first =
          clients.submit(
              () -> RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY));
      GatedModel.await("the first request computes", () -> gated.started.get() == 1, LIMIT);
      Future<RawHttp.Reply> second =
          clients.submit(
              () -> RawHttp.post(port, "/v1/embeddings", Map.of("Content-Type", JSON), BODY));
      GatedModel.await("the second request waits", () -> slowModel.waiting() == 1, LIMIT);
      long since = System.nanoTime();
      // Several read timeouts pass while both are with the model.
      GatedModel.await(
          "four read timeouts pass",
          () -> System.nanoTime() - since > 4 * readTimeout.toNanos(),
          LIMIT);
      gated.open(2);
      assertThat(first.get().status()).isEqualTo(200);
      assertThat(second.get().status()).isEqualTo(200);
    }
  }

  static final Duration LIMIT = Duration.ofSeconds(30);
}
