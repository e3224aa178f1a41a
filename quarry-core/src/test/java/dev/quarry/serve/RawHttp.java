package dev.quarry.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, so a test controls every header (java.net.http sets {@code Host}
 * itself and refuses to send some headers) and can send half a request.
 */
final class RawHttp {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");

  private RawHttp() {}

  /** A whole answer: status, headers (lower-case names) and body. */
  record Reply(int status, String head, String body) {
    String header(String name) {
      Matcher m =
          Pattern.compile(
                  "^" + Pattern.quote(name.toLowerCase(Locale.ROOT)) + ":\\s*(.*?)\\s*$",
                  Pattern.MULTILINE)
              .matcher(head.toLowerCase(Locale.ROOT));
      return m.find() ? m.group(1) : null;
    }
  }

  /**
   * Sends {@code POST path} with {@code headers} (each name and value as given; {@code Host} is
   * {@code 127.0.0.1:port} unless {@code headers} has one) and reads the answer to the end.
   */
  static Reply post(int port, String path, Map<String, String> headers, String body)
      throws IOException {
    return exchange(port, "POST", path, headers, body);
  }

  static Reply exchange(
      int port, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Host"))) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("Content-Length: ").append(content.length).append("\r\n");
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(content);
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = answer.indexOf("\r\n\r\n");
      String head = split < 0 ? answer : answer.substring(0, split);
      Matcher status = STATUS.matcher(head);
      if (!status.find()) {
        throw new IOException("not an HTTP answer: " + answer);
      }
      String rest = split < 0 ? "" : answer.substring(split + 4);
      if ("chunked".equalsIgnoreCase(new Reply(0, head, "").header("Transfer-Encoding"))) {
        rest = dechunk(rest);
      }
      return new Reply(Integer.parseInt(status.group(1)), head, rest);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /**
   * Reads from {@code socket} until the server closes it (end of stream or a reset) and returns
   * what it sent; fails when it is still open after {@code limit}.
   */
  static String awaitClosed(Socket socket, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout(200);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return received.toString(StandardCharsets.UTF_8);
        }
        received.write(buffer, 0, n);
      } catch (SocketTimeoutException e) {
        // still open: look again
      } catch (IOException e) {
        return received.toString(StandardCharsets.UTF_8); // reset by the server: closed too
      }
    }
    throw new AssertionError(
        "the server kept the connection open for " + limit + "; it sent: " + received);
  }
}
