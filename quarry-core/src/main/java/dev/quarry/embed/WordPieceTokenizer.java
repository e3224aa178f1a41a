package dev.quarry.embed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.chunk.TokenSpans;
import dev.quarry.chunk.Tokenizer;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's uncased WordPiece tokenization (HuggingFace's {@code BertNormalizer}, {@code
 * BertPreTokenizer} and {@code WordPiece} model), in Java: token boundaries for counting, and token
 * ids for a static model.
 *
 * <p>Why not the HuggingFace library itself: chunking tokenizes every byte of every changed file,
 * and profiling the lexical pipeline showed over half of its CPU time inside the library's JNI
 * {@code encode}, which builds ids, type ids, token strings, word ids and masks that chunking never
 * uses. A static model embeds hundreds of chunks a second and needs only the ids; through the
 * library, each chunk also cost one Java object per token made by native code, and a Java exception
 * pending in that code (a 300k-file run, after 15 minutes) aborted the whole process from Rust.
 * This class gives the same token counts and the same ids as the model's own tokenizer ({@code
 * WordPieceTokenizerTest} compares both on real corpora); transformer inputs are still encoded by
 * the library.
 *
 * <p>Token offsets within a word split into several pieces are approximate (proportional to the
 * normalised word); word boundaries, and so every line's count, are exact. Thread-safe.
 */
final class WordPieceTokenizer implements Tokenizer {
  private static final int MAX_WORD_CHARS = 100;

  /** Vocabulary entries that may start a word. */
  private final VocabularyTrie wordStarts;

  /** Vocabulary entries that may continue a word (their "##" prefix removed). */
  private final VocabularyTrie continuations;

  private final Map<String, Integer> vocabulary;
  private final int unknownId;

  /** Special tokens ([CLS], [SEP], ...): matched verbatim in the raw text, one token each. */
  private final List<String> addedTokens;

  /**
   * Pieces of recently seen words, per thread. Source code repeats its identifiers endlessly, and
   * the greedy longest-match search is the tokenizer's costliest step. Direct-mapped and looked up
   * by the word's place in the text: a hit copies nothing (a map keyed by the word's string cost a
   * substring, its hash and a probe per word, 6% of a lexical first index). Its size is fixed.
   */
  private final ThreadLocal<WordCache> recentWords = ThreadLocal.withInitial(WordCache::new);

  /** A word that is one [UNK]: no pieces of its own, the whole word is the token. */
  private static final Word UNKNOWN = new Word(0, new int[0], new int[0]);

  /**
   * A normalised word's WordPiece split: the normalised length, each piece's end in it and each
   * piece's vocabulary id. An empty word has no pieces.
   */
  private record Word(int normalisedLength, int[] ends, int[] ids) {}

  /** Receives each token of a text in order: its chars in the original text and its id. */
  private interface TokenSink {
    void token(int start, int end, int id);
  }

  WordPieceTokenizer(
      Map<String, Integer> vocabulary,
      String continuationPrefix,
      String unknownToken,
      List<String> addedTokens) {
    this.wordStarts = VocabularyTrie.of(vocabulary, "");
    this.continuations = VocabularyTrie.of(vocabulary, continuationPrefix);
    this.vocabulary = Map.copyOf(vocabulary);
    Integer unknown = vocabulary.get(unknownToken);
    if (unknown == null) {
      throw new IllegalArgumentException("the vocabulary lacks its unknown token " + unknownToken);
    }
    this.unknownId = unknown;
    this.addedTokens = List.copyOf(addedTokens);
  }

  /** Reads the WordPiece vocabulary of a HuggingFace {@code tokenizer.json}. */
  static WordPieceTokenizer fromTokenizerJson(InputStream json) throws IOException {
    JsonNode root = QuarryJson.MAPPER.readTree(json);
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asText())) {
      throw new IOException(
          "tokenizer.json has a " + model.path("type").asText() + " model, not WordPiece");
    }
    JsonNode normalizer = root.path("normalizer");
    if (!"BertNormalizer".equals(normalizer.path("type").asText())
        || !normalizer.path("lowercase").asBoolean(false)
        || !normalizer.path("strip_accents").asBoolean(true)) {
      // This class implements the uncased BERT normaliser only; a cased model would get wrong ids.
      throw new IOException("tokenizer.json's normalizer is not BERT's uncased one: " + normalizer);
    }
    Map<String, Integer> vocabulary = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : model.path("vocab").properties()) {
      vocabulary.put(entry.getKey(), entry.getValue().asInt());
    }
    List<String> added = new ArrayList<>();
    for (JsonNode token : root.path("added_tokens")) {
      added.add(token.path("content").asText());
    }
    return new WordPieceTokenizer(
        vocabulary,
        model.path("continuing_subword_prefix").asText("##"),
        model.path("unk_token").asText("[UNK]"),
        added);
  }

  @Override
  public TokenSpans tokenize(String text) {
    Spans spans = new Spans(16 + Math.min(text.length() / 4, 1 << 16));
    walk(text, (start, end, id) -> spans.add(start, end));
    return spans.toTokenSpans();
  }

  /** The tokens' count, without their spans: what chunk sizing asks most (no arrays to fill). */
  @Override
  public int countTokens(String text) {
    return walk(text, null);
  }

  /**
   * The vocabulary ids of {@code text}'s tokens, without special tokens around them and without
   * truncation: what the model's own tokenizer gives with {@code add_special_tokens=false}.
   */
  long[] ids(String text) {
    Ids ids = new Ids(16 + Math.min(text.length() / 4, 1 << 16));
    walk(text, (start, end, id) -> ids.add(id));
    return ids.toArray();
  }

  /**
   * Walks {@code text}'s tokens, telling {@code sink} of each (null: only counting them); returns
   * how many there are. ASCII, most of any source tree, is classified by a table, not by the
   * Unicode predicates each code point would otherwise go through.
   */
  private int walk(String text, TokenSink sink) {
    WordCache recent = recentWords.get(); // once per text: a lookup per word showed
    int tokens = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      char ch = text.charAt(i);
      int c;
      int kind;
      if (ch < 0x80) {
        c = ch;
        kind = ASCII_KINDS[ch];
      } else {
        c = text.codePointAt(i);
        kind = kindOf(c);
      }
      int width = Character.charCount(c);
      if (kind == SKIPPED) {
        i += width;
        continue;
      }
      int special = addedTokenAt(text, i);
      if (special > 0) {
        if (sink != null) {
          sink.token(
              i, i + special, vocabulary.getOrDefault(text.substring(i, i + special), unknownId));
        }
        tokens++;
        i += special;
        continue;
      }
      if (kind == ALONE) {
        // Each punctuation mark and each CJK ideograph is a word of its own.
        tokens += addWord(text, i, i + width, sink, recent);
        i += width;
        continue;
      }
      int start = i;
      while (i < length) {
        char dh = text.charAt(i);
        if (dh < 0x80) {
          // ASCII: a space or a punctuation mark ends the word; '[' (a special token's start) is
          // punctuation; a control is dropped by the normaliser, it does not split the word.
          if (ASCII_KINDS[dh] == ALONE || (ASCII_KINDS[dh] == SKIPPED && isWhitespace(dh))) {
            break;
          }
          i++;
          continue;
        }
        int d = text.codePointAt(i);
        if (isWhitespace(d) || isPunctuation(d) || isChineseChar(d) || addedTokenAt(text, i) > 0) {
          break; // controls inside a word are dropped by the normaliser, they do not split it
        }
        i += Character.charCount(d);
      }
      tokens += addWord(text, start, i, sink, recent);
    }
    return tokens;
  }

  /** How {@link #walk} treats a character: skipped, a word of its own, or part of a word. */
  private static final byte SKIPPED = 0;

  private static final byte ALONE = 1;
  private static final byte IN_WORD = 2;

  private static final byte[] ASCII_KINDS = new byte[0x80];

  static {
    for (int c = 0; c < 0x80; c++) {
      ASCII_KINDS[c] = (byte) kindOf(c);
    }
  }

  private static int kindOf(int c) {
    if (isWhitespace(c) || isRemoved(c)) {
      return SKIPPED;
    }
    return isPunctuation(c) || isChineseChar(c) ? ALONE : IN_WORD;
  }

  /** The length of the special token starting at {@code i}, or 0. */
  private int addedTokenAt(String text, int i) {
    if (text.charAt(i) != '[') {
      return 0; // every special token of BERT vocabularies starts with '['
    }
    for (String token : addedTokens) {
      if (text.startsWith(token, i)) {
        return token.length();
      }
    }
    return 0;
  }

  /**
   * Tells {@code sink} (null: nobody) of the tokens of the word at chars [start, end) of {@code
   * text}; returns how many there are.
   */
  private int addWord(String text, int start, int end, TokenSink sink, WordCache recent) {
    if (end - start > MAX_WORD_CHARS && surelyTooLong(text, start, end)) {
      // One [UNK], decided without copying, normalising or caching the word: a word can be a
      // whole file (50 MB of one character), and the cache would keep it for the thread's life.
      if (sink != null) {
        sink.token(start, end, unknownId);
      }
      return 1;
    }
    int slot = WordCache.slot(text, start, end);
    Word word = recent.get(slot, text, start, end);
    if (word == null) {
      word = split(normalise(text, start, end));
      recent.put(slot, text.substring(start, end), word);
    }
    if (word == UNKNOWN) {
      if (sink != null) {
        sink.token(start, end, unknownId);
      }
      return 1;
    }
    if (sink == null) {
      return word.ids().length;
    }
    int wordLength = word.normalisedLength();
    int originalLength = end - start;
    int pieceStart = 0;
    for (int p = 0; p < word.ends().length; p++) {
      int pieceEnd = word.ends()[p];
      int from = start + (int) ((long) pieceStart * originalLength / wordLength);
      int to =
          pieceEnd == wordLength
              ? end
              : start + (int) ((long) pieceEnd * originalLength / wordLength);
      sink.token(from, Math.max(from, to), word.ids()[p]);
      pieceStart = pieceEnd;
    }
    return word.ids().length;
  }

  /** Greedy longest-match WordPiece split of a normalised word, or {@link #UNKNOWN}. */
  private Word split(String word) {
    int wordLength = word.length();
    if (wordLength == 0) {
      return new Word(0, new int[0], new int[0]);
    }
    if (word.codePointCount(0, wordLength) > MAX_WORD_CHARS) {
      return UNKNOWN;
    }
    int[] ends = new int[Math.min(wordLength, 16)];
    int[] ids = new int[ends.length];
    int count = 0;
    int pieceStart = 0;
    while (pieceStart < wordLength) {
      boolean first = pieceStart == 0;
      long match = (first ? wordStarts : continuations).longestEntry(word, pieceStart);
      if (match < 0) {
        return UNKNOWN; // no split into known pieces: the whole word is one [UNK]
      }
      int pieceEnd = (int) (match >>> 32);
      if (count == ends.length) {
        ends = java.util.Arrays.copyOf(ends, count * 2);
        ids = java.util.Arrays.copyOf(ids, count * 2);
      }
      ends[count] = pieceEnd;
      ids[count] = (int) match;
      count++;
      pieceStart = pieceEnd;
    }
    return new Word(
        wordLength, java.util.Arrays.copyOf(ends, count), java.util.Arrays.copyOf(ids, count));
  }

  /**
   * Whether the word at chars [start, end) normalises to more than {@link #MAX_WORD_CHARS} code
   * points. Counts the code points the normaliser keeps, stopping at the limit: each of them leaves
   * at least one code point after decomposition and lower-casing, so the count is a lower bound and
   * "more" is certain (when it says no, the word takes the normal path).
   */
  private static boolean surelyTooLong(String text, int start, int end) {
    int kept = 0;
    for (int i = start; i < end; ) {
      int c = text.codePointAt(i);
      if (!isRemoved(c)
          && Character.getType(c) != Character.NON_SPACING_MARK
          && ++kept > MAX_WORD_CHARS) {
        return true;
      }
      i += Character.charCount(c);
    }
    return false;
  }

  /** The BERT normaliser on one word: drop controls, strip accents (NFD, no marks), lower case. */
  private static String normalise(String text, int start, int end) {
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      if (text.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      StringBuilder lower = new StringBuilder(end - start);
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        if (!isRemoved(c)) {
          lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
      }
      return lower.toString();
    }
    StringBuilder clean = new StringBuilder(end - start);
    for (int i = start; i < end; ) {
      int c = text.codePointAt(i);
      if (!isRemoved(c)) {
        clean.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    String decomposed = Normalizer.normalize(clean, Normalizer.Form.NFD);
    StringBuilder stripped = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int c = decomposed.codePointAt(i);
      if (Character.getType(c) != Character.NON_SPACING_MARK) {
        stripped.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return stripped.toString().toLowerCase(Locale.ROOT);
  }

  /** Characters the BERT normaliser deletes: NUL, U+FFFD and controls. */
  static boolean isRemoved(int c) {
    return c == 0 || c == 0xFFFD || isControl(c);
  }

  /** Rust's {@code char::is_whitespace} (Unicode White_Space). */
  static boolean isWhitespace(int c) {
    return switch (c) {
      case ' ',
          '\t',
          '\n',
          '\r',
          0x0B,
          0x0C,
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }

  /** HuggingFace's {@code is_control}: Unicode "other" categories, except tab, newline, return. */
  static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /** ASCII punctuation and symbols, or any Unicode punctuation category. */
  static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= 33 && c <= 47)
          || (c >= 58 && c <= 64)
          || (c >= 91 && c <= 96)
          || (c >= 123 && c <= 126);
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  static boolean isChineseChar(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }

  /** Words' splits by their text, one per slot, the newest winning: bounded, and no allocation. */
  private static final class WordCache {
    private static final int SLOTS = 1 << 15;
    private final String[] words = new String[SLOTS];
    private final Word[] splits = new Word[SLOTS];

    /** The slot of the word at chars [start, end) of {@code text}. */
    static int slot(String text, int start, int end) {
      int hash = 0;
      for (int i = start; i < end; i++) {
        hash = 31 * hash + text.charAt(i);
      }
      return (hash ^ (hash >>> 15)) & (SLOTS - 1);
    }

    Word get(int slot, String text, int start, int end) {
      String word = words[slot];
      return word != null
              && word.length() == end - start
              && text.regionMatches(start, word, 0, end - start)
          ? splits[slot]
          : null;
    }

    void put(int slot, String word, Word split) {
      words[slot] = word;
      splits[slot] = split;
    }
  }

  /** A growable pair of int arrays. */
  private static final class Spans {
    private int[] starts;
    private int[] ends;
    private int size;

    Spans(int capacity) {
      starts = new int[capacity];
      ends = new int[capacity];
    }

    void add(int start, int end) {
      if (size == starts.length) {
        starts = java.util.Arrays.copyOf(starts, size * 2);
        ends = java.util.Arrays.copyOf(ends, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    TokenSpans toTokenSpans() {
      return TokenSpans.of(
          java.util.Arrays.copyOf(starts, size), java.util.Arrays.copyOf(ends, size));
    }
  }

  /** A growable array of ids. */
  private static final class Ids {
    private long[] ids;
    private int size;

    Ids(int capacity) {
      ids = new long[capacity];
    }

    void add(int id) {
      if (size == ids.length) {
        ids = java.util.Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(ids, size);
    }
  }
}
