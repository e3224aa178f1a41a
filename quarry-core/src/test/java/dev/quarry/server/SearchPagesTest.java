package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pages within a size budget, and cursors that only continue their own search. */
class SearchPagesTest {
  private static SearchHit hit(int i, int chars) {
    return new SearchHit(
        "/root/f" + i + ".java",
        "f" + i + ".java",
        "java",
        1,
        10,
        0,
        1.0 / (i + 1),
        "",
        "x".repeat(chars),
        List.of(),
        i == 2);
  }

  private static List<SearchHit> hits(int count, int chars) {
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hits.add(hit(i, chars));
    }
    return hits;
  }

  @Test
  void aPageStopsAtItsBudgetAndSaysWhereTheNextStarts() {
    SearchPages.Page page = SearchPages.layOut(hits(10, 1_000), 20, 10, false, 3_500);
    assertThat(page.shown()).hasSize(3);
    assertThat(page.next()).isEqualTo(23);
    assertThat(String.join("", page.shown()).length()).isLessThanOrEqualTo(3_500);
    assertThat(page.shown().get(2)).contains("STALE");
  }

  @Test
  void theLastPageHasNoNext() {
    assertThat(SearchPages.layOut(hits(3, 10), 0, 10, false, 10_000).next()).isEqualTo(-1);
    assertThat(SearchPages.layOut(hits(3, 10), 0, 10, true, 10_000).next()).isEqualTo(3);
    assertThat(SearchPages.layOut(hits(5, 10), 0, 3, false, 10_000).next()).isEqualTo(3);
  }

  @Test
  void aHitLargerThanTheBudgetIsCutAndPointsToTheRest() {
    SearchPages.Page page = SearchPages.layOut(hits(2, 50_000), 0, 10, false, 2_000);
    assertThat(page.shown()).hasSize(1);
    assertThat(page.shown().get(0))
        .hasSizeLessThanOrEqualTo(2_000)
        .contains("read f0.java lines 1-10");
    assertThat(page.next()).isEqualTo(1);
  }

  @Test
  void aCursorContinuesOnlyItsOwnSearch() {
    SearchQuery query = new SearchQuery("retry", 10, SearchMode.HYBRID, null, null, 0);
    SearchQuery other = new SearchQuery("retry", 10, SearchMode.LEXICAL, null, null, 0);
    String cursor = SearchPages.cursor(30, SearchPages.fingerprint(query));
    assertThat(SearchPages.offsetOf(cursor, SearchPages.fingerprint(query))).isEqualTo(30);
    assertThatThrownBy(() -> SearchPages.offsetOf(cursor, SearchPages.fingerprint(other)))
        .hasMessageContaining("belongs to another search");
    assertThatThrownBy(() -> SearchPages.offsetOf("not a cursor!", SearchPages.fingerprint(query)))
        .hasMessageContaining("not one this server gave");
  }
}
