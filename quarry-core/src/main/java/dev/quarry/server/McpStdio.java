package dev.quarry.server;

import dev.quarry.pipeline.RunProgress;
import dev.quarry.watch.LiveIndex;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * An MCP server on a pair of streams (a client's pipes: {@code quarry mcp}), with {@link McpTools}'
 * tools over the index, until the client closes its end. The output stream carries the protocol and
 * nothing else; whatever the process has to say goes to stderr.
 */
public final class McpStdio implements AutoCloseable {
  /**
   * What to serve.
   *
   * @param index where the index is (a folder or a remote store)
   * @param opener opens the index for search (once it exists: a first run may still be writing it)
   * @param roots the roots to read files from before the index records its own
   * @param watch the watch's state, empty when nothing watches
   * @param runInProgress the run writing the index now, if any
   * @param answerTokens the size budget of one answer, in estimated tokens
   * @param version Quarry's version, told to the client
   */
  public record Config(
      IndexSource index,
      SearchServer.SessionOpener opener,
      Supplier<List<Path>> roots,
      Supplier<Optional<LiveIndex.Status>> watch,
      Supplier<Optional<RunProgress.Snapshot>> runInProgress,
      int answerTokens,
      String version) {
    public Config {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(opener, "opener");
      if (answerTokens < 500) {
        throw new IllegalArgumentException(
            "an answer's budget must be 500 tokens or more, got " + answerTokens);
      }
    }

    /** The embedded index in {@code indexDir}. */
    public Config(
        Path indexDir,
        SearchServer.SessionOpener opener,
        Supplier<List<Path>> roots,
        Supplier<Optional<LiveIndex.Status>> watch,
        Supplier<Optional<RunProgress.Snapshot>> runInProgress,
        int answerTokens,
        String version) {
      this(
          IndexSource.folder(indexDir), opener, roots, watch, runInProgress, answerTokens, version);
    }
  }

  /** The default size budget of one answer, in estimated tokens. */
  public static final int DEFAULT_ANSWER_TOKENS = SearchPages.DEFAULT_TOKENS;

  private final ServedSession session;
  private final McpSyncServer server;
  private final CountDownLatch ended = new CountDownLatch(1);

  private McpStdio(Config config, InputStream in, OutputStream out) {
    this.session = new ServedSession(config.index(), config.opener(), () -> null);
    session.openIfDue(); // when it is not there yet, a request tries again
    McpTools tools =
        new McpTools(
            new McpTools.Context(
                session,
                config.index(),
                config.roots(),
                config.watch(),
                config.runInProgress(),
                config.answerTokens()));
    InputStream watched =
        new FilterInputStream(in) {
          @Override
          public int read() throws IOException {
            return ended(super.read());
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            return ended(super.read(buffer, offset, length));
          }

          private int ended(int read) {
            if (read < 0) {
              ended.countDown(); // the client closed its end: the session is over
            }
            return read;
          }
        };
    this.server =
        McpServer.sync(new StdioServerTransportProvider(McpTools.JSON, watched, out))
            .serverInfo("quarry", config.version())
            .instructions(McpTools.INSTRUCTIONS)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(tools.forSessions())
            .build(); // reads the input from now on
  }

  /** Starts serving {@code in} and {@code out} at once, in the background. */
  public static McpStdio start(Config config, InputStream in, OutputStream out) {
    return new McpStdio(config, in, out);
  }

  /** Blocks until the client closes its end of the input (or {@link #close} is called). */
  public void awaitEnd() throws InterruptedException {
    ended.await();
  }

  @Override
  public void close() {
    ended.countDown();
    server.closeGracefully();
    session.close();
  }
}
