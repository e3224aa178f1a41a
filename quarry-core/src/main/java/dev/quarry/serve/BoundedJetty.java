package dev.quarry.serve;

import java.net.InetAddress;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty server as every Quarry endpoint runs one: handlers on virtual threads (they block reading
 * bodies and waiting for the model), no version headers, errors Jetty answers itself as JSON
 * ({@link JsonErrors}), one connector on the options' address with their read deadline, idle
 * timeout and connection cap. The caller adds its handler.
 *
 * @param server the server, not started
 * @param connector its one connector
 * @param deadlines the per-request read deadlines, for handlers to enter and re-arm
 */
public record BoundedJetty(Server server, ServerConnector connector, ReadDeadlines deadlines) {

  /** A server for {@code options}, its threads named {@code threadName}. */
  public static BoundedJetty create(String threadName, ServeOptions options) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(threadName);
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    InetAddress ip = options.address().getAddress();
    connector.setHost(ip == null ? options.address().getHostString() : ip.getHostAddress());
    connector.setPort(options.address().getPort());
    // Idle connections (between requests, or a stalled reader of an answer) go after this too.
    connector.setIdleTimeout(options.readTimeout().toMillis());
    ReadDeadlines deadlines = new ReadDeadlines(server.getScheduler(), options.readTimeout());
    connector.addBean(deadlines);
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrors());
    server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));
    return new BoundedJetty(server, connector, deadlines);
  }
}
