package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CommitPolicyTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-12-02T12:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final CommitPolicy policy = new CommitPolicy(clock, Duration.ofSeconds(60), 100);

  @Test
  void aCommitIsDueOnceTheIntervalHasPassed() {
    clock.advance(Duration.ofSeconds(60));
    assertThat(policy.due()).as("at the interval exactly").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(policy.due()).isTrue();
  }

  @Test
  void aCommitIsDueOnceEnoughChunksWereWritten() {
    policy.written(99);
    assertThat(policy.due()).isFalse();
    policy.written(1);
    assertThat(policy.due()).isTrue();
  }

  @Test
  void aCommitRestartsBothCounts() {
    policy.written(150);
    clock.advance(Duration.ofMinutes(5));
    policy.committing();
    policy.committed();
    assertThat(policy.due()).isFalse();
    clock.advance(Duration.ofSeconds(59));
    policy.written(99);
    assertThat(policy.due()).isFalse();
  }

  @Test
  void chunksWrittenDuringACommitCountTowardsTheNext() {
    policy.committing();
    policy.written(100); // a worker wrote while the commit ran
    policy.committed();
    assertThat(policy.due()).isTrue();
  }
}
