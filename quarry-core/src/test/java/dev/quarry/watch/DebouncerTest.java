package dev.quarry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The debouncer on a fake clock: times are nanoseconds chosen by the test, nothing sleeps. */
class DebouncerTest {
  private static final long MS = 1_000_000;
  private final Debouncer debouncer =
      new Debouncer(Duration.ofMillis(200), Duration.ofSeconds(1), 5);

  @Test
  void aBatchIsDueOnceNoEventCameForTheQuietPeriod() {
    assertThat(debouncer.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
    debouncer.changed(Path.of("/r/a"), 0);
    debouncer.changed(Path.of("/r/b"), 150 * MS);
    debouncer.changed(Path.of("/r/a"), 160 * MS);
    assertThat(debouncer.poll(359 * MS)).isEmpty();
    assertThat(debouncer.nanosUntilDue(359 * MS)).isEqualTo(MS);
    assertThat(debouncer.poll(360 * MS))
        .contains(new WatchEvent.Changed(Set.of(Path.of("/r/a"), Path.of("/r/b"))));
    assertThat(debouncer.poll(2000 * MS)).isEmpty();
    assertThat(debouncer.nanosUntilDue(2000 * MS)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void eventsThatKeepComingAreFlushedAtTheLongestDelay() {
    int batches = 0;
    for (long t = 0; t <= 3200; t += 100) { // an event every 100 ms: never quiet
      debouncer.changed(Path.of("/r/f" + (t % 3)), t * MS);
      if (debouncer.poll(t * MS).isPresent()) {
        batches++;
      }
    }
    assertThat(batches).isEqualTo(3); // at 1 s, 2.1 s and 3.2 s: 1 s after each first event
  }

  @Test
  void aReconcileReplacesThePathsGathered() {
    debouncer.changed(Path.of("/r/a"), 0);
    debouncer.reconcile("overflow", 10 * MS);
    debouncer.changed(Path.of("/r/b"), 20 * MS);
    debouncer.reconcile("later", 30 * MS);
    assertThat(debouncer.pendingPaths()).isZero();
    assertThat(debouncer.poll(230 * MS)).contains(new WatchEvent.ReconcileNeeded("overflow"));
    debouncer.changed(Path.of("/r/c"), 300 * MS);
    assertThat(debouncer.poll(500 * MS)).contains(new WatchEvent.Changed(Set.of(Path.of("/r/c"))));
  }

  @Test
  void tooManyPathsBecomeAReconcile() {
    for (int i = 0; i < 6; i++) {
      debouncer.changed(Path.of("/r/f" + i), i);
    }
    assertThat(debouncer.poll(Duration.ofSeconds(1).toNanos()))
        .hasValueSatisfying(e -> assertThat(e).isInstanceOf(WatchEvent.ReconcileNeeded.class));
  }

  @Test
  void badTimingsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new Debouncer(Duration.ZERO, Duration.ofSeconds(1), 1))
        .hasMessageContaining("quiet period must be positive, got PT0S");
    assertThatThrownBy(() -> new Debouncer(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
        .hasMessageContaining("longest delay PT1S must be at least the quiet period PT2S");
  }
}
