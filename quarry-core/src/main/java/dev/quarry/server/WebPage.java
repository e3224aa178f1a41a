package dev.quarry.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The web page at {@code /}: a search box and a dashboard, as static files served from the class
 * path (the page, its script and style, and uPlot from its WebJar; nothing from the internet).
 *
 * <p>The files hold no data, so they are served without the token (a browser cannot send one when
 * it opens a URL); the page asks for the token when the server answers its first data request with
 * 401, and sends it with every request after. They still pass the Host and Origin checks. The page
 * writes every text it shows as text (never as HTML), and its Content-Security-Policy allows
 * scripts and styles from this server only, so a file whose text is {@code <script>} shows as those
 * characters.
 */
final class WebPage {
  /** A file of the page. */
  record Asset(byte[] bytes, String type) {}

  /** Scripts and styles from this server only, no framing, no plugins. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Map<String, Asset> assets;

  private WebPage(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Loads the page's files (about 70 KB) once. */
  static WebPage load() {
    String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    return new WebPage(
        Map.of(
            "/", asset("ui/index.html", "text/html; charset=utf-8"),
            "/ui/app.js", asset("ui/app.js", "text/javascript; charset=utf-8"),
            "/ui/app.css", asset("ui/app.css", "text/css; charset=utf-8"),
            "/ui/uplot.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/ui/uplot.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8")));
  }

  /** Whether {@code path} is one of the page's files. */
  boolean serves(String path) {
    return assets.containsKey(path);
  }

  Asset get(String path) {
    return assets.get(path);
  }

  /** The uPlot the build brought, from its WebJar's Maven properties. */
  private static String uplotVersion() {
    try (InputStream in =
        WebPage.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar is missing from the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Asset asset(String name, String type) {
    try (InputStream in = WebPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the build");
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
