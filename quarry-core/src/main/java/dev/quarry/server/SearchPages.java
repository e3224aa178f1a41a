package dev.quarry.server;

import dev.quarry.search.SearchHit;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Search answers cut to fit an agent's context: hits in order until the page's size budget is
 * spent, then a cursor that continues where the page stopped. A cursor names its offset and the
 * search it belongs to, so one given with another query is refused rather than paging something
 * else.
 *
 * <p>Sizes are counted in estimated tokens, a token for every {@value #CHARS_PER_TOKEN} characters:
 * code tokenizes denser than prose (about 3 characters a token with the common BPE vocabularies,
 * against 4 for English), so an answer stays within its budget for either.
 */
final class SearchPages {
  static final int CHARS_PER_TOKEN = 3;

  /** The default budget of one answer, in tokens: a tenth of a small context window. */
  static final int DEFAULT_TOKENS = 8_000;

  private SearchPages() {}

  /** Estimated tokens of {@code text}. */
  static int tokens(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Characters a budget of {@code tokens} allows. */
  static int chars(int tokens) {
    return tokens * CHARS_PER_TOKEN;
  }

  /**
   * A page: the hits shown (the first possibly cut) and the offset of the next page, or -1.
   *
   * @param shown hits as they are written, each complete or the first one cut to the budget
   * @param next the offset of the first hit not shown, -1 when none is left
   */
  record Page(List<String> shown, int next) {}

  /**
   * Lays out {@code hits} (those after {@code offset}, at most {@code k} of them) within {@code
   * budgetChars}; {@code more} says whether the search may have hits after these.
   */
  static Page layOut(List<SearchHit> hits, int offset, int k, boolean more, int budgetChars) {
    java.util.ArrayList<String> shown = new java.util.ArrayList<>();
    int used = 0;
    int index = 0;
    for (; index < hits.size() && index < k; index++) {
      String block = block(hits.get(index));
      if (used + block.length() > budgetChars) {
        if (!shown.isEmpty()) {
          break; // the next page starts here
        }
        block = cut(hits.get(index), budgetChars); // one hit alone is over budget
      }
      shown.add(block);
      used += block.length();
    }
    boolean left = index < hits.size() || more;
    return new Page(List.copyOf(shown), left ? offset + index : -1);
  }

  /** One hit: a header line (path:lines, score, marks) and the chunk's text. */
  private static String block(SearchHit hit) {
    return header(hit) + "\n" + hit.text().strip() + "\n";
  }

  private static String header(SearchHit hit) {
    StringBuilder line = new StringBuilder("## ").append(hit.path());
    line.append(':').append(hit.startLine()).append('-').append(hit.endLine());
    line.append(String.format(Locale.ROOT, " (score %.3f", hit.score()));
    if (!hit.language().isEmpty()) {
      line.append(", ").append(hit.language());
    }
    if (hit.page() > 0) {
      line.append(", PDF page ").append(hit.page());
    }
    if (hit.stale()) {
      line.append(", STALE: the file changed since it was indexed; read it for the current text");
    }
    if (!hit.context().isEmpty()) {
      line.append(", in ").append(hit.context().strip().replace('\n', ' '));
    }
    return line.append(')').toString();
  }

  /** A hit whose text alone is over the budget: its start, and where to read the rest. */
  private static String cut(SearchHit hit, int budgetChars) {
    String head = header(hit) + "\n";
    String note =
        "\n[... cut to fit the answer; read "
            + hit.path()
            + " lines "
            + hit.startLine()
            + "-"
            + hit.endLine()
            + " for all of it]\n";
    int room = Math.max(0, budgetChars - head.length() - note.length());
    String text = hit.text().strip();
    return head + text.substring(0, Math.min(room, text.length())) + note;
  }

  /** The cursor of the page at {@code offset} of the search {@code fingerprint} names. */
  static String cursor(int offset, String fingerprint) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((offset + ":" + fingerprint).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The offset a cursor gives, when it belongs to the search {@code fingerprint} names.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static int offsetOf(String cursor, String fingerprint) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'cursor' is not one this server gave: " + cursor);
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'cursor' is not one this server gave: " + cursor);
    }
    if (!decoded.substring(colon + 1).equals(fingerprint)) {
      throw new IllegalArgumentException(
          "'cursor' belongs to another search: give it with the query and filters it came with");
    }
    try {
      return Integer.parseInt(decoded.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'cursor' is not one this server gave: " + cursor);
    }
  }

  /** A short digest of a search's query and filters, which its cursors carry. */
  static String fingerprint(SearchQuery query) {
    String key =
        String.join(
            "\u0000",
            query.q(),
            query.modeName(),
            String.valueOf(query.path()),
            String.valueOf(query.lang()),
            String.valueOf(query.k()));
    return Integer.toHexString(key.hashCode());
  }
}
