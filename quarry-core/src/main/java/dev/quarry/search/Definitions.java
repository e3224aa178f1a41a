package dev.quarry.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where a query's names are defined: a chunk that declares {@code Router} (a class, function,
 * type, module... in any of the common languages) answers the query {@code Router} better than the
 * chunks that merely use it, and BM25 cannot tell the two apart.
 */
final class Definitions {
  /** Keywords that introduce a definition, in the languages Quarry knows. */
  private static final String KEYWORDS =
      "class|interface|struct|enum|trait|type|typedef|union|record|object|protocol|extension|impl"
          + "|def|defp|defmodule|defmacro|fn|func|function|fun|sub|proc|module|namespace|package"
          + "|macro|let|const|var|val|my|local";

  /** Names worth looking for: identifiers of three characters or more. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{2,}");

  /** Words of a question that are never what it looks up. */
  private static final Set<String> QUESTION_WORDS =
      Set.of(
          "how", "what", "where", "when", "which", "why", "who", "does", "the", "and", "for",
          "with", "from", "into", "that", "this", "are", "its", "is", "can", "use", "used", "uses");

  /** What marks a word of a sentence as a name from code: an underscore, or a capital inside it. */
  private static final Pattern IDENTIFIER = Pattern.compile("_|[a-z0-9][A-Z]|^[A-Z]{2,}[a-z]");

  private final List<Pattern> patterns;

  private Definitions(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  /**
   * The definitions of the names in {@code query}: each identifier in it, as written (case matters
   * in code: {@code Router} is not {@code router}).
   */
  static Definitions of(String query) {
    boolean symbol = dev.quarry.search.fusion.QueryShape.isSymbol(query);
    Set<String> names = new LinkedHashSet<>();
    Matcher m = NAME.matcher(query);
    while (m.find()) {
      String name = m.group();
      if (!QUESTION_WORDS.contains(name.toLowerCase(java.util.Locale.ROOT))
          && (symbol || IDENTIFIER.matcher(name).find())) {
        names.add(name);
      }
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String name : names) {
      String quoted = Pattern.quote(name);
      patterns.add(
          Pattern.compile(
              // keyword NAME: class Router, def parse, fn new, func (r *Router) Handle
              "(?m)^[ \\t]*(?:[\\w@\\[\\]\"'.:<>,*&]+[ \\t]+)*(?:"
                  + KEYWORDS
                  + ")[ \\t]+(?:\\([^)]*\\)[ \\t]*)?[*&]?"
                  + quoted
                  + "(?![\\w$])"
                  // or a C-family signature: [modifiers and type] NAME(...) ending the line in { or
                  // :
                  + "|(?m)^[ \\t]*(?:[\\w\\[\\]<>,.*&:]+[ \\t]+)+[*&]?"
                  + quoted
                  + "[ \\t]*\\([^;]*$"
                  // or an assignment of a function or class: NAME = function / NAME: (..) =>
                  + "|(?m)^[ \\t]*(?:export[ \\t]+)?"
                  + quoted
                  + "[ \\t]*[=:][ \\t]*(?:function|class|\\(|async)"));
    }
    return new Definitions(patterns);
  }

  boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Whether {@code text} defines one of the query's names. */
  boolean definedIn(String text) {
    for (Pattern p : patterns) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }
}
