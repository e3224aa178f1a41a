package dev.quarry.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself, before any route (a malformed request, headers too large, a request
 * arriving while the server stops): {@code {"error": "..."}} as every route answers, not Jetty's
 * HTML page. No stack trace or server version is ever shown.
 */
final class JsonErrors extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
    String message =
        request.getAttribute(ERROR_MESSAGE) instanceof String text && !text.isBlank()
            ? text
            : HttpStatus.getMessage(status);
    byte[] body =
        ("{\"error\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
