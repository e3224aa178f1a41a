package dev.quarry.server;

import dev.quarry.serve.BearerToken;
import dev.quarry.serve.TrustedHosts;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The checks every request passes before its route: a Host header naming this server (against DNS
 * rebinding), no Origin of a foreign web page, the token when one is set; and each route's method.
 */
final class CallerChecks {
  private final TrustedHosts trusted;
  private final Optional<BearerToken> token;
  private final Supplier<String> authority; // host:port to name in a refusal

  CallerChecks(TrustedHosts trusted, Optional<BearerToken> token, Supplier<String> authority) {
    this.trusted = trusted;
    this.token = token;
    this.authority = authority;
  }

  void check(Request request) {
    checkSite(request);
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (token.isPresent() && !token.get().matches(authorization)) {
      throw new HttpError(
          401,
          authorization == null
              ? "this server requires a token: send 'Authorization: Bearer TOKEN'"
              : "the token sent is not this server's",
          "WWW-Authenticate",
          "Bearer");
    }
  }

  /**
   * The checks of a request that reads no data (the web page's files): Host and Origin, not the
   * token, which a browser opening a URL cannot send.
   */
  void checkSite(Request request) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (!trusted.allowsHost(host)) {
      throw new HttpError(
          421,
          "the Host header '"
              + host
              + "' does not name this server; use "
              + authority.get()
              + " or localhost");
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (!trusted.allowsOrigin(origin)) {
      throw new HttpError(
          403, "requests from web pages of other sites are refused (Origin '" + origin + "')");
    }
  }

  static void requireMethod(Request request, String method) {
    if (!request.getMethod().equalsIgnoreCase(method)) {
      throw new HttpError(
          405,
          request.getMethod()
              + " is not allowed on "
              + request.getHttpURI().getPath()
              + "; use "
              + method,
          "Allow",
          method);
    }
  }
}
