package dev.quarry.search;

import java.util.List;

/**
 * One line of a hit's snippet.
 *
 * @param number the 1-based line number in the file
 * @param text the line
 * @param matches char ranges {@code [start, end)} of query terms in {@code text}, in order
 */
public record SnippetLine(int number, String text, List<int[]> matches) {
  public SnippetLine {
    matches = List.copyOf(matches);
  }
}
