package dev.quarry.cli;

import dev.quarry.pipeline.RunControl;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (and SIGTERM) into a graceful stop of a run: the run is cancelled, commits what it
 * has done, the command prints its summary, and the process exits 130 (143 for SIGTERM).
 *
 * <p>A shutdown hook rather than a signal handler (no internal API): the JVM runs the hook on the
 * signal, the hook cancels the run and waits for the command to finish, then the JVM exits with
 * the signal's status. If the commit takes longer than {@link #GRACE_SECONDS}, the process exits
 * anyway; the index then holds its previous commit, which is consistent too.
 */
final class GracefulStop implements AutoCloseable {
  private static final long GRACE_SECONDS = 300;

  private final RunControl control = new RunControl();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  GracefulStop(PrintStream err) {
    hook = Thread.ofPlatform().name("quarry-graceful-stop").unstarted(() -> {
      control.cancel();
      err.println();
      err.println("quarry: stopping: committing what is done (kill -9 loses only the work since the last commit)");
      try {
        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
  }

  RunControl control() {
    return control;
  }

  /** Whether the run was asked to stop. */
  boolean stopped() {
    return control.cancelled();
  }

  /** The command is done (its summary printed): a waiting hook lets the JVM exit. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down already (the signal came): the hook is running and now returns.
    }
  }
}
