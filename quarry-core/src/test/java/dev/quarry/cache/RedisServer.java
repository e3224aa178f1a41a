package dev.quarry.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * A real {@code redis-server} on a free loopback port, for tests: nothing saved to disk, stopped by
 * {@link #close()}. {@code ./run-tests} and {@code .ci/run} install the Debian package when it is
 * missing.
 */
public final class RedisServer implements AutoCloseable {
  private static final String STORE_PASSWORD = "test-only";

  private final Process process;
  private final int port;
  private final String scheme;
  private final Path trustStore;

  private RedisServer(Process process, int port, String scheme, Path trustStore) {
    this.process = process;
    this.port = port;
    this.scheme = scheme;
    this.trustStore = trustStore;
  }

  public static RedisServer start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, List.of(), "redis", null);
  }

  /** A server that requires {@code password} (AUTH, the default user). */
  public static RedisServer startWithPassword(Path workDir, String password)
      throws IOException, InterruptedException {
    return start(workDir, List.of("--requirepass", password), "redis", null);
  }

  /**
   * A server that speaks TLS only, with a fresh self-signed certificate naming 127.0.0.1 (and no
   * host name); {@link #trust()} trusts it.
   */
  public static RedisServer startWithTls(Path workDir) throws Exception {
    Path keyStore = workDir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process gen =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "redis",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=quarry test",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("keytool.log").toFile())
            .start();
    if (gen.waitFor() != 0) {
      throw new IOException("keytool exited with " + gen.exitValue());
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    Certificate certificate = store.getCertificate("redis");
    Key key = store.getKey("redis", STORE_PASSWORD.toCharArray());
    Path certFile = workDir.resolve("server.crt");
    Path keyFile = workDir.resolve("server.key");
    Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("redis", certificate);
    Path trustStore = workDir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trust.store(out, STORE_PASSWORD.toCharArray());
    }
    return start(
        workDir,
        List.of(
            "--tls-port",
            "PORT",
            "--tls-cert-file",
            certFile.toString(),
            "--tls-key-file",
            keyFile.toString(),
            "--tls-ca-cert-file",
            certFile.toString(),
            "--tls-auth-clients",
            "no"),
        "rediss",
        trustStore);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** TLS options that trust this server's certificate, verifying it fully (a TLS server only). */
  SslOptions trust() {
    return SslOptions.builder()
        .truststore(trustStore.toFile(), STORE_PASSWORD.toCharArray())
        .trustStoreType("PKCS12")
        .sslVerifyMode(SslVerifyMode.FULL)
        .build();
  }

  private static RedisServer start(
      Path workDir, List<String> extraArguments, String scheme, Path trustStore)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    boolean tls = scheme.equals("rediss");
    List<String> command =
        new ArrayList<>(List.of("redis-server", "--port", tls ? "0" : Integer.toString(port)));
    for (String argument : extraArguments) {
      command.add(argument.equals("PORT") ? Integer.toString(port) : argument);
    }
    Process process =
        new ProcessBuilder(
                concat(
                    command,
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--enable-debug-command",
                    "local",
                    "--dir",
                    workDir.toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        new Socket("127.0.0.1", port).close();
        return new RedisServer(process, port, scheme, trustStore);
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("redis-server exited with " + process.exitValue());
        }
        Thread.sleep(20);
      }
    }
    process.destroyForcibly();
    throw new IOException("redis-server did not listen on port " + port + " within 10 s");
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  public URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + port);
  }

  /** The server's URI with {@code userInfo} ({@code user:password}) in it. */
  public URI uri(String userInfo) {
    return URI.create(scheme + "://" + userInfo + "@127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /**
   * Freezes the server (SIGSTOP): it keeps its connections but answers nothing until {@link
   * #resume()}, the deterministic form of a stalled server.
   */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Lets a {@link #pause() paused} server go on (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    int exit =
        new ProcessBuilder("kill", signal, Long.toString(process.pid()))
            .inheritIO()
            .start()
            .waitFor();
    if (exit != 0) {
      throw new IOException("kill " + signal + " " + process.pid() + " exited with " + exit);
    }
  }

  /** Stops the server (a test of a server going down calls this mid-test). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
