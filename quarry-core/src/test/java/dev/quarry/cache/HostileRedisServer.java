package dev.quarry.cache;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hostile peer on a loopback port, for tests: it speaks just enough RESP for a client to connect
 * (HELLO, PING, and +OK to AUTH, SELECT, CLIENT and the rest, as a Redis 7 would in RESP2), then
 * answers every {@code MGET} with {@code mgetReply}, bytes chosen by the test (a huge array or bulk
 * length, a wrong count). Not a stand-in for Redis: the normal path is tested against a real
 * redis-server.
 */
final class HostileRedisServer implements AutoCloseable {
  /** What a Redis 7 answers to HELLO in RESP2 (a flat array of names and values). */
  private static final byte[] HELLO_RESP2 =
      ("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
              + "$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
              + "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final byte[] mgetReply;
  private final byte[] helloReply;
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private HostileRedisServer(ServerSocket server, byte[] mgetReply, byte[] helloReply) {
    this.server = server;
    this.mgetReply = mgetReply;
    this.helloReply = helloReply;
    this.acceptor = Thread.ofVirtual().start(this::accept);
  }

  static HostileRedisServer answeringMget(String reply) throws IOException {
    return new HostileRedisServer(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        reply.getBytes(StandardCharsets.ISO_8859_1),
        HELLO_RESP2);
  }

  /** A server that answers HELLO with {@code reply}, as no Redis would, and the rest as one. */
  static HostileRedisServer answeringHello(String reply) throws IOException {
    return new HostileRedisServer(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        "*1\r\n$-1\r\n".getBytes(StandardCharsets.US_ASCII),
        reply.getBytes(StandardCharsets.ISO_8859_1));
  }

  URI uri() {
    return URI.create("redis://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        clients.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        InputStream in = new BufferedInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream()) {
      List<String> command;
      while ((command = readCommand(in)) != null) {
        String name = command.isEmpty() ? "" : command.get(0).toUpperCase(Locale.ROOT);
        byte[] reply =
            switch (name) {
              case "MGET" -> mgetReply;
              case "PING" -> "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
              case "HELLO" -> helloReply;
              default -> "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
            };
        out.write(reply);
        out.flush();
      }
    } catch (IOException gone) {
      // the client hung up, or the test closed the server
    }
  }

  /** One command: an array of bulk strings, as every client sends them; null at end of stream. */
  private static List<String> readCommand(InputStream in) throws IOException {
    String header = readLine(in);
    if (header == null) {
      return null;
    }
    if (!header.startsWith("*")) {
      throw new IOException("not a RESP command: " + header);
    }
    int count = Integer.parseInt(header.substring(1));
    List<String> parts = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      String length = readLine(in);
      if (length == null || !length.startsWith("$")) {
        throw new IOException("not a bulk string: " + length);
      }
      byte[] bytes = in.readNBytes(Integer.parseInt(length.substring(1)) + 2);
      parts.add(new String(bytes, 0, Math.max(0, bytes.length - 2), StandardCharsets.UTF_8));
    }
    return parts;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n' && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
        return line.substring(0, line.length() - 1);
      }
      line.append((char) c);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket client : clients) {
      client.close();
    }
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
