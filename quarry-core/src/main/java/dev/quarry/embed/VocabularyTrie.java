package dev.quarry.embed;

import java.util.Arrays;
import java.util.Map;
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
   * A trie of the vocabulary's entries, each with {@code prefix} removed (entries without it are
   * skipped), each keeping its id.
   */
  static VocabularyTrie of(Map<String, Integer> vocabulary, String prefix) {
    Builder root = new Builder();
    for (Map.Entry<String, Integer> entry : vocabulary.entrySet()) {
      String text = entry.getKey();
      if (text.startsWith(prefix) && text.length() > prefix.length()) {
        Builder node = root;
        for (int i = prefix.length(); i < text.length(); i++) {
          node = node.children.computeIfAbsent(text.charAt(i), c -> new Builder());
        }
        node.id = entry.getValue();
      }
    }
    return new VocabularyTrie(root.freeze());
  }

  /**
   * The longest entry that {@code word} has at {@code start}, as its end (high 32 bits) and its id
   * (low 32 bits), or -1 when none starts there: the split of a word needs both, and looking the id
   * up again would cost a substring and a hash per piece. Never ends inside a surrogate pair.
   */
  long longestEntry(String word, int start) {
    Node node = root;
    long best = -1;
    for (int i = start; i < word.length(); i++) {
      node = node.child(word.charAt(i));
      if (node == null) {
        break;
      }
      if (node.id >= 0
          && !(i + 1 < word.length() && Character.isLowSurrogate(word.charAt(i + 1)))) {
        best = ((long) (i + 1) << 32) | node.id;
      }
    }
    return best;
  }

  private static final class Node {
    private final char[] keys;
    private final Node[] children;
    private final int id; // the entry ending here; -1: none does

    Node(char[] keys, Node[] children, int id) {
      this.keys = keys;
      this.children = children;
      this.id = id;
    }

    Node child(char c) {
      int i = Arrays.binarySearch(keys, c);
      return i >= 0 ? children[i] : null;
    }
  }

  private static final class Builder {
    final TreeMap<Character, Builder> children = new TreeMap<>();
    int id = -1;

    Node freeze() {
      char[] keys = new char[children.size()];
      Node[] nodes = new Node[children.size()];
      int i = 0;
      for (var entry : children.entrySet()) {
        keys[i] = entry.getKey();
        nodes[i] = entry.getValue().freeze();
        i++;
      }
      return new Node(keys, nodes, id);
    }
  }
}
