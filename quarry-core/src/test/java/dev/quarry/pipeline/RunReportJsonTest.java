package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.json.QuarryJson;
import dev.quarry.store.IndexLock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run reports as indexes on users' disks hold them: every form an earlier version wrote reads back
 * and writes out again with the same keys and values, so a history survives being extended.
 */
class RunReportJsonTest {
  /** Written by 0.x before runs had ids (no id, kind, status, cache). */
  static final String BEFORE_IDS =
      """
      {"startedAt":"2026-10-01T10:00:00.123456Z","wallSeconds":1.5,
       "files":{"indexed":2,"unchanged":0,"rehashed":0,"deleted":0,"skipped":1,"failed":1},
       "skippedByReason":{"binary":1},"chunks":{"total":2,"written":2,"embedded":0,"reused":0},
       "bytesRead":120,"filesPerSecond":2.667,"megabytesPerSecond":0.0,"chunksPerSecond":1.333,
       "stages":[{"name":"scan","threads":1,"items":4,"busySeconds":0.01,"waitingForInputSeconds":0.0,
         "upstreamBlockedSeconds":0.0,"itemsPerSecond":2.667,"utilisation":0.007}],
       "bottleneck":"scan","peakRssBytes":-1,"peakHeapBytes":1000,"gcSeconds":0.0,
       "failures":[{"cause":"corrupt PDF","path":"a.pdf"}]}""";

  /** A finished run with ids and the embedding cache (the current form). */
  static final String WITH_CACHE =
      """
      {"id":3,"kind":"sync","status":"interrupted","startedAt":"2026-11-02T08:00:00Z","wallSeconds":0.25,
       "files":{"indexed":1,"unchanged":0,"rehashed":0,"deleted":1,"skipped":0,"failed":0},
       "skippedByReason":{},"chunks":{"total":9,"written":1,"embedded":1,"reused":0},
       "bytesRead":40,"filesPerSecond":4.0,"megabytesPerSecond":0.0,"chunksPerSecond":4.0,"stages":[],
       "bottleneck":"none","peakRssBytes":123456789,"peakHeapBytes":654321,"gcSeconds":0.012,
       "cache":[{"tier":"memory","lookups":1,"hits":0,"misses":1,"hitRate":0.0,"writes":1,"failures":0,
         "meanMillis":0.001}],"failures":[]}""";

  /** A run that died, recorded by the next one, or failed with an error. */
  static final String UNFINISHED =
      """
      {"id":2,"kind":"index","status":"failed","startedAt":"2026-11-01T09:00:00Z","note":"error: disk full"}""";

  private static JsonNode tree(String json) throws Exception {
    return QuarryJson.MAPPER.readTree(json);
  }

  @Test
  void everyFormAnEarlierVersionWroteReadsBackUnchanged() throws Exception {
    for (String json : List.of(BEFORE_IDS, WITH_CACHE, UNFINISHED)) {
      assertThat(tree(RunReport.parse(json).toJson())).isEqualTo(tree(json));
    }
    String history = "[" + WITH_CACHE + "," + UNFINISHED + "," + BEFORE_IDS + "]";
    RunHistory parsed = RunHistory.parse(history);
    assertThat(tree(parsed.toJson())).isEqualTo(tree(history));
    assertThat(parsed.highestId()).isEqualTo(3);
    assertThat(parsed.reports())
        .extracting(RunReport::status)
        .containsExactly(RunStatus.INTERRUPTED, RunStatus.FAILED, null);
    assertThat(parsed.reports().get(2).files().failed()).isEqualTo(1);
    assertThat(parsed.reports().get(1).note()).isEqualTo("error: disk full");
    assertThat(parsed.reports().get(0).cache())
        .singleElement()
        .satisfies(t -> assertThat(t.tier()).isEqualTo("memory"));
  }

  @Test
  void aRunKnownOnlyFromTheLockHasItsPidAndANote() throws Exception {
    IndexLock.Holder running = IndexLock.Holder.current(4, "sync");
    JsonNode json = tree(RunReport.ofLockHolder(running).toJson());
    assertThat(json.properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder("id", "kind", "status", "startedAt", "pid", "note");
    assertThat(json.get("status").asText()).isEqualTo("running");
    assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    IndexLock.Holder dead =
        new IndexLock.Holder(
            Long.MAX_VALUE, Instant.EPOCH, running.host(), 5, "index", "x", Instant.EPOCH);
    assertThat(RunReport.ofLockHolder(dead).note()).isEqualTo(RunReport.KILLED_NOTE);
    assertThat(RunReport.ofLockHolder(dead).status()).isEqualTo(RunStatus.INTERRUPTED);
  }

  @Test
  void wholeSecondsWrittenWithoutAFractionReadAsSeconds() {
    assertThat(
            RunReport.parse("{\"startedAt\":\"2026-11-01T09:00:00Z\",\"wallSeconds\":2}")
                .wallSeconds())
        .isEqualTo(2.0);
  }

  @Test
  void prependKeepsTheNewestFirstWithinTheBound() throws Exception {
    RunHistory history = RunHistory.EMPTY;
    for (long id = 1; id <= 5; id++) {
      history =
          history.prepend(
              RunReport.unfinished(id, "index", RunStatus.FAILED, Instant.EPOCH, "x"), 3);
    }
    assertThat(history.reports()).extracting(RunReport::id).containsExactly(5L, 4L, 3L);
    assertThat(RunHistory.parse(history.toJson())).isEqualTo(history);
    assertThat(RunHistory.parse(null)).isEqualTo(RunHistory.EMPTY);
    assertThat(RunHistory.parse(" ").highestId()).isZero();

    String prepended =
        RunHistory.parse("[" + WITH_CACHE + "]").prepend(RunReport.parse(UNFINISHED), 100).toJson();
    assertThat(tree(prepended)).isEqualTo(tree("[" + UNFINISHED + "," + WITH_CACHE + "]"));
  }

  @Test
  void anUnfinishedReportHasOnlyItsFewKeys() throws Exception {
    String json =
        RunReport.unfinished(
                7,
                "sync",
                RunStatus.INTERRUPTED,
                Instant.parse("2026-11-01T09:00:00Z"),
                RunReport.KILLED_NOTE)
            .toJson();
    assertThat(tree(json))
        .isEqualTo(
            tree(
                "{\"id\":7,\"kind\":\"sync\",\"status\":\"interrupted\","
                    + "\"startedAt\":\"2026-11-01T09:00:00Z\",\"note\":\""
                    + RunReport.KILLED_NOTE
                    + "\"}"));
  }
}
