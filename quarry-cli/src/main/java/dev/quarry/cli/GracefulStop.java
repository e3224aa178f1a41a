package dev.quarry.cli;

import dev.quarry.pipeline.RunControl;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a graceful stop of a run: the run is cancelled, commits
 * what it has done, the command prints its summary and exits 130 (143 for SIGTERM). A second signal
 * stops the process at once; the index then keeps its last commit, consistent too.
 *
 * <p>A signal handler, not a shutdown hook: the JVM runs all hooks at once, and ONNX Runtime's own
 * hook frees the model while a batch may still be embedding, which crashes the process. With the
 * signal handled, the JVM does not begin to shut down until the run has stopped. The handler is
 * {@code sun.misc.Signal} (jdk.unsupported), reached reflectively so the build stays free of
 * internal-API warnings; where it is missing, signals keep their default effect (the process ends,
 * the last commit is kept).
 */
final class GracefulStop implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final RunControl control = new RunControl();
  private final PrintWriter err;
  private final List<Object[]> previousHandlers = new ArrayList<>();
  private final String stopping;
  private final java.util.concurrent.CountDownLatch signalled =
      new java.util.concurrent.CountDownLatch(1);
  private volatile int signalNumber;

  GracefulStop(PrintWriter err) {
    this(err, "stopping, committing what is done");
  }

  /** As above, printing {@code stopping} (what a stop does) when the first signal comes. */
  GracefulStop(PrintWriter err, String stopping) {
    this.err = err;
    this.stopping = stopping;
    for (String name : SIGNALS) {
      Object[] installed = install(name);
      if (installed != null) {
        previousHandlers.add(installed);
      }
    }
  }

  RunControl control() {
    return control;
  }

  /** Whether a signal asked the run to stop. */
  boolean stopped() {
    return signalNumber != 0;
  }

  /** Blocks until a signal asks to stop. */
  void await() throws InterruptedException {
    signalled.await();
  }

  /** The exit code of a stopped run: 128 + the signal's number (130 for Ctrl-C). */
  int exitCode() {
    return 128 + signalNumber;
  }

  private void onSignal(String name, int number) {
    if (signalNumber != 0) {
      err.println("quarry: stopped at once; the index keeps its last commit");
      Runtime.getRuntime().halt(128 + number);
    }
    signalNumber = number;
    control.cancel();
    err.println();
    err.println("quarry: SIG" + name + ": " + stopping + " (again to stop at once)");
    signalled.countDown();
  }

  /** Installs a handler for signal {@code name}; returns {signal, previous handler}, or null. */
  private Object[] install(String name) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      int number = (Integer) signalClass.getMethod("getNumber").invoke(signal);
      Object handler =
          Proxy.newProxyInstance(
              handlerClass.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      onSignal(name, number);
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "quarry graceful stop on SIG" + name;
                  });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object previous = handle.invoke(null, signal, handler);
      return new Object[] {signal, previous, handle};
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // no signal API here (or the signal is reserved): the default effect stays
    }
  }

  /** Gives the signals back their previous handlers. */
  @Override
  public void close() {
    for (Object[] installed : previousHandlers) {
      try {
        ((Method) installed[2]).invoke(null, installed[0], installed[1]);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // Keeping our handler is harmless: the command is over.
      }
    }
  }
}
