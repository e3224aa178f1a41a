package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FileMemoryTest {
  private static final long MIB = 1 << 20;

  // Issue 11, item 1: workers on large files took the heap out together.
  @Test
  @Tag("hostile")
  void filesInFlightTogetherStayWithinTheBudgetAndGiveItBackAsTheyShrink() throws Exception {
    FileMemory memory = FileMemory.ofBudget(100 * MIB, false); // 5 bytes a file byte: 20 MiB
    FileMemory.Lease first = memory.tryLease(12 * MIB);
    assertThat(first).isNotNull();
    assertThat(memory.tryLease(12 * MIB)).as("60 + 60 MiB do not fit in 100").isNull();
    assertThat(memory.tryLease(7 * MIB)).as("60 + 35 MiB do").isNotNull();

    first.shrinkTo(4 * MIB); // chunked: only its chunks (and vectors) are held now
    FileMemory.Lease second = memory.tryLease(12 * MIB);
    assertThat(second).as("4 + 35 + 60 MiB fit").isNotNull();
    assertThat(memory.tryLease(2 * MIB)).as("4 + 35 + 60 + 10 MiB do not").isNull();
    first.release();
    first.release(); // twice is harmless: it gave back its 4 MiB once
    assertThat(memory.tryLease(MIB / 2)).as("35 + 60 + 2.5 MiB fit").isNotNull();
    assertThat(memory.tryLease(MIB)).as("5 MiB more do not").isNull();
  }

  @Test
  @Tag("hostile")
  void aWorkerOfAStoppedRunDoesNotWaitForMemory() throws Exception {
    FileMemory memory = FileMemory.ofBudget(10 * MIB, false);
    assertThat(memory.tryLease(2 * MIB)).isNotNull(); // the whole budget
    FileMemory.Lease none = memory.lease(MIB, () -> true);
    none.release(); // an empty lease gives nothing back
    assertThat(memory.tryLease(MIB)).isNull();
  }

  @Test
  @Tag("hostile")
  void aCapTheHeapCannotHonourIsRefusedNamingTheHeapItNeeds() {
    long heap = Runtime.getRuntime().maxMemory();
    long tooLarge = FileMemory.largestFileFor(heap, true) + MIB;
    assertThatThrownBy(() -> FileMemory.requireHeapFor(tooLarge, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("and its vectors until they are written")
        .hasMessageContaining("QUARRY_HEAP=");
    FileMemory.requireHeapFor(FileMemory.largestFileFor(heap, true), true);
    assertThat(FileMemory.largestFileFor(heap, false))
        .isGreaterThan(FileMemory.largestFileFor(heap, true));
  }
}
