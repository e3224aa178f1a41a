package dev.quarry.embed;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The vocabulary as a character trie, for WordPiece's greedy longest match: walking the trie from a
 * piece's start finds the longest vocabulary entry in one pass, where a map needs one substring,
 * hash and lookup per candidate length (profiling showed those lookups as the tokenizer's main cost
 * on long identifiers). Immutable and thread-safe once built.
 */
final class VocabularyTrie {
  private final Node root;

  private VocabularyTrie(Node root) {
    this.root = root;
  }

  /**
   * A trie of {@code entries}, each with {@code prefix} removed (entries without it are skipped).
   */
  static VocabularyTrie of(Collection<String> entries, String prefix) {
    Builder root = new Builder();
    for (String entry : entries) {
      if (entry.startsWith(prefix) && entry.length() > prefix.length()) {
        Builder node = root;
        for (int i = prefix.length(); i < entry.length(); i++) {
          node = node.children.computeIfAbsent(entry.charAt(i), c -> new Builder());
        }
        node.terminal = true;
      }
    }
    return new VocabularyTrie(root.freeze());
  }

  /**
   * The end of the longest entry that {@code word} has at {@code start}, or -1 when none starts
   * there. Never ends inside a surrogate pair.
   */
  int longestMatch(String word, int start) {
    Node node = root;
    int best = -1;
    for (int i = start; i < word.length(); i++) {
      node = node.child(word.charAt(i));
      if (node == null) {
        break;
      }
      if (node.terminal
          && !(i + 1 < word.length() && Character.isLowSurrogate(word.charAt(i + 1)))) {
        best = i + 1;
      }
    }
    return best;
  }

  private static final class Node {
    private final char[] keys;
    private final Node[] children;
    private final boolean terminal;

    Node(char[] keys, Node[] children, boolean terminal) {
      this.keys = keys;
      this.children = children;
      this.terminal = terminal;
    }

    Node child(char c) {
      int i = Arrays.binarySearch(keys, c);
      return i >= 0 ? children[i] : null;
    }
  }

  private static final class Builder {
    final TreeMap<Character, Builder> children = new TreeMap<>();
    boolean terminal;

    Node freeze() {
      char[] keys = new char[children.size()];
      Node[] nodes = new Node[children.size()];
      int i = 0;
      for (var entry : children.entrySet()) {
        keys[i] = entry.getKey();
        nodes[i] = entry.getValue().freeze();
        i++;
      }
      return new Node(keys, nodes, terminal);
    }
  }
}
