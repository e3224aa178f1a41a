package dev.quarry.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Whether a file's chunk ordinals are 0..n-1, each once, and if not, what is off. */
final class OrdinalCheck {
  /** Ordinals named per fault; the rest are counted. */
  private static final int NAMED = 3;

  private OrdinalCheck() {}

  /**
   * What is wrong with {@code ordinals} against {@code 0..expected-1}, or "" when nothing. Sorts a
   * copy rather than marking a bit set: an absurd {@code expected} from a broken manifest must not
   * cost memory in proportion to it.
   */
  static String faults(int[] ordinals, int expected) {
    int[] sorted = ordinals.clone();
    Arrays.sort(sorted);
    Fault missing = new Fault("missing");
    Fault repeated = new Fault("repeated");
    Fault outOfRange = new Fault("out of range");
    int next = 0; // the smallest ordinal not seen yet
    for (int ordinal : sorted) {
      if (ordinal < 0 || ordinal >= expected) {
        outOfRange.add(ordinal);
      } else if (ordinal < next) {
        repeated.add(ordinal);
      } else {
        missing.addRange(next, ordinal);
        next = ordinal + 1;
      }
    }
    missing.addRange(next, Math.max(next, expected));
    List<String> parts = new ArrayList<>(3);
    for (Fault fault : List.of(missing, repeated, outOfRange)) {
      if (fault.count > 0) {
        parts.add(fault.toString());
      }
    }
    return String.join("; ", parts);
  }

  /** Ordinals of one kind of fault: the first few named, all counted. */
  private static final class Fault {
    final String what;
    final List<Integer> named = new ArrayList<>(NAMED);
    long count;

    Fault(String what) {
      this.what = what;
    }

    void add(int ordinal) {
      if (named.size() < NAMED) {
        named.add(ordinal);
      }
      count++;
    }

    /** Adds {@code from..to-1}. */
    void addRange(int from, int to) {
      for (int ordinal = from; ordinal < to && named.size() < NAMED; ordinal++) {
        named.add(ordinal);
      }
      count += to - from;
    }

    @Override
    public String toString() {
      String list = String.join(", ", named.stream().map(String::valueOf).toList());
      String more = count > named.size() ? " and " + (count - named.size()) + " more" : "";
      return (count > 1 ? "ordinals " : "ordinal ") + list + more + " " + what;
    }
  }
}
