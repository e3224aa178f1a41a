package dev.quarry.search;

/**
 * Translates a path glob into a Lucene regular expression over the relative path, so the filter
 * runs inside the index (and inside the vector search) rather than on the hits afterwards.
 */
final class PathGlob {
  private PathGlob() {}

  static String toRegexp(String glob) {
    if (glob.isBlank()) {
      throw new IllegalArgumentException("the path glob is empty");
    }
    StringBuilder re = new StringBuilder();
    String pattern = glob.startsWith("/") ? glob.substring(1) : glob;
    if (!pattern.contains("/")) {
      re.append("(.*/)?"); // like .gitignore: a bare name matches at any depth
    }
    int braces = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
            boolean slashAfter = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
            re.append(slashAfter ? "(.*/)?" : ".*");
            i += slashAfter ? 2 : 1;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = pattern.indexOf(']', i + 1);
          if (close < 0) {
            throw new IllegalArgumentException("unclosed '[' in path glob '" + glob + "'");
          }
          String set = pattern.substring(i + 1, close);
          re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
          i = close;
        }
        case '{' -> {
          braces++;
          re.append('(');
        }
        case '}' -> {
          if (braces == 0) {
            throw new IllegalArgumentException("unmatched '}' in path glob '" + glob + "'");
          }
          braces--;
          re.append(')');
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        default -> {
          if ("\\.+()|^$@#&<>~\"".indexOf(c) >= 0) {
            re.append('\\');
          }
          re.append(c);
        }
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("unclosed '{' in path glob '" + glob + "'");
    }
    if (pattern.endsWith("/")) {
      re.append(".*"); // a directory: everything under it
    }
    return re.toString();
  }
}
