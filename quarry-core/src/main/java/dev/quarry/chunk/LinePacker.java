package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Packs whole lines of one document into chunks under a token budget. Both chunkers use it: the
 * line chunker on the whole document, the Markdown chunker on each section.
 *
 * <p>Lines are never split unless one line alone exceeds the budget (minified code, long prose
 * paragraphs without breaks); such a line becomes several chunks cut at token boundaries, all with
 * the same line range.
 *
 * <p>It streams: lines are read and tokenized one at a time, and only the lines of the chunk being
 * built are held ({@link LineWindow}), so the memory it needs follows the chunk, not the document.
 * A chunk is also bounded in characters ({@link #maxChunkChars}): a token budget alone does not
 * bound text, since a word of any length is one unknown token and whitespace costs none. A line
 * longer than that is tokenized a {@link #SEGMENT_CHARS} piece at a time, never as a whole.
 */
final class LinePacker {
  /** The most characters of one very long line tokenized at once. */
  static final int SEGMENT_CHARS = 1 << 16;

  /**
   * Characters a chunk may hold per token of budget: far more than text or code reach (about 4 a
   * token, 12 with deep indentation), so it only cuts what the token budget cannot bound.
   */
  private static final int CHARS_PER_TOKEN_BOUND = 64;

  private final String path;
  private final ExtractedDocument document;
  private final String text;
  private final Tokenizer tokenizer;
  private final ChunkingPolicy policy;
  private final int maxChunkChars;
  private final List<Chunk> out;

  LinePacker(
      String path,
      ExtractedDocument document,
      Tokenizer tokenizer,
      ChunkingPolicy policy,
      List<Chunk> out) {
    this.path = path;
    this.document = document;
    this.text = document.text();
    this.tokenizer = tokenizer;
    this.policy = policy;
    this.maxChunkChars = policy.maxTokens() * CHARS_PER_TOKEN_BOUND;
    this.out = out;
  }

  /** The most characters of one chunk's text. */
  int maxChunkChars() {
    return maxChunkChars;
  }

  /**
   * Chunks the lines that start in chars {@code [fromChar, toChar)} of the text, each chunk
   * carrying {@code context}. The document's end is {@code text.length() + 1}, as if the text ended
   * with a newline.
   *
   * @param firstLine the 1-based number of the line starting at {@code fromChar}
   * @param contextTokens tokens the context takes from the budget
   */
  void pack(int fromChar, int toChar, int firstLine, String context, int contextTokens) {
    int budget = Math.max(8, policy.maxTokens() - contextTokens);
    int charBudget = Math.max(budget, maxChunkChars - context.length());
    LineWindow lines = new LineWindow(fromChar, toChar, firstLine, budget, charBudget);
    long i = 0;
    while (true) {
      while (lines.has(i) && lines.isBlank(i)) {
        i++;
      }
      if (!lines.has(i)) {
        return;
      }
      if (lines.isLong(i)) {
        splitLongLine(lines, i, context, budget, charBudget);
        lines.dropBefore(++i);
        continue;
      }
      long j = i;
      int used = 0;
      int chars = 0;
      while (lines.has(j)
          && !lines.isLong(j)
          && used + lines.tokens(j) <= budget
          && chars + lines.length(j) <= charBudget) {
        used += lines.tokens(j);
        chars += lines.length(j) + 1;
        j++;
      }
      boolean natural = !lines.has(j);
      if (!natural) {
        // Prefer to end at a blank line in the chunk's second half: paragraphs and functions are
        // usually separated by one, so the chunk stays a unit of meaning.
        for (long k = j - 1; k > i + (j - i) / 2; k--) {
          if (lines.isBlank(k)) {
            j = k;
            natural = true;
            break;
          }
        }
      }
      emit(lines, i, j, context);
      if (!lines.has(j)) {
        return;
      }
      i = natural ? j : overlapStart(lines, i, j);
      lines.dropBefore(i);
    }
  }

  /** Where the next chunk starts after a forced cut at {@code end}: back over a few whole lines. */
  private long overlapStart(LineWindow lines, long start, long end) {
    long o = end;
    int overlap = 0;
    while (o - 1 > start && overlap + lines.tokens(o - 1) <= policy.overlapTokens()) {
      overlap += lines.tokens(o - 1);
      o--;
    }
    return o;
  }

  private void splitLongLine(
      LineWindow lines, long line, String context, int budget, int charBudget) {
    int lineEnd = lines.end(line);
    int number = lines.number(line);
    int segmentStart = lines.start(line);
    while (segmentStart < lineEnd) {
      int segmentEnd = segmentEnd(segmentStart, lineEnd);
      TokenSpans tokens = tokenizer.tokenize(text.substring(segmentStart, segmentEnd));
      int count = tokens.count();
      for (int t = 0; t < Math.max(count, 1); t += budget) {
        int pieceStart = t == 0 ? segmentStart : segmentStart + tokens.start(t);
        int pieceEnd = t + budget < count ? segmentStart + tokens.start(t + budget) : segmentEnd;
        addSlices(number, context, pieceStart, pieceEnd, charBudget);
      }
      segmentStart = segmentEnd;
    }
  }

  /**
   * Where the tokenized segment of a long line starting at {@code start} ends: {@link
   * #SEGMENT_CHARS} on, moved back to just after a space in its second half when there is one (so
   * no word is cut), and never between the halves of a surrogate pair.
   */
  private int segmentEnd(int start, int lineEnd) {
    if (lineEnd - start <= SEGMENT_CHARS) {
      return lineEnd;
    }
    int end = start + SEGMENT_CHARS;
    for (int k = end - 1; k > start + SEGMENT_CHARS / 2; k--) {
      if (Character.isWhitespace(text.charAt(k))) {
        return k + 1;
      }
    }
    return safeCut(end);
  }

  /** Adds chars [from, to) as chunks of at most {@code charBudget} chars, skipping blank ones. */
  private void addSlices(int number, String context, int from, int to, int charBudget) {
    for (int start = from; start < to; ) {
      int end = to - start <= charBudget ? to : safeCut(start + charBudget);
      String piece = text.substring(start, end);
      if (!piece.isBlank()) {
        add(number, number, context, piece);
      }
      start = end;
    }
  }

  /** {@code at}, or one char earlier when a cut there would split a surrogate pair. */
  private int safeCut(int at) {
    return Character.isLowSurrogate(text.charAt(at))
            && Character.isHighSurrogate(text.charAt(at - 1))
        ? at - 1
        : at;
  }

  private void emit(LineWindow lines, long from, long to, String context) {
    long last = to - 1;
    while (last > from && lines.isBlank(last)) {
      last--;
    }
    add(
        lines.number(from),
        lines.number(last),
        context,
        text.substring(lines.start(from), lines.end(last)));
  }

  /** Appends one chunk of {@code chunkText}, lines [startLine, endLine], with {@code context}. */
  void add(int startLine, int endLine, String context, String chunkText) {
    out.add(
        new Chunk(
            path,
            document.language(),
            out.size(),
            startLine,
            endLine,
            document.pageOfLine(startLine),
            context,
            chunkText,
            hash(Chunk.embeddingInput(context, chunkText))));
  }

  /** Whether chars [start, end) of the text are all whitespace. */
  static boolean isBlankText(String text, int start, int end) {
    for (int c = start; c < end; c++) {
      if (!Character.isWhitespace(text.charAt(c))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The lines of one {@link #pack} call, read from the text on demand and forgotten once packed.
   * Lines are addressed by their index from the start of the range; only those from the oldest not
   * yet dropped to the newest read are held.
   */
  private final class LineWindow {
    private final int toChar;
    private final int firstLine;
    private final int budget;
    private final int charBudget;
    private int nextChar;
    private long base;
    private int size;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int[] tokens = new int[64];

    LineWindow(int fromChar, int toChar, int firstLine, int budget, int charBudget) {
      this.toChar = toChar;
      this.firstLine = firstLine;
      this.budget = budget;
      this.charBudget = charBudget;
      this.nextChar = fromChar;
    }

    /** Whether line {@code i} exists, reading lines up to it. */
    boolean has(long i) {
      while (base + size <= i) {
        if (nextChar >= toChar) {
          return false;
        }
        read();
      }
      return i >= base;
    }

    private void read() {
      int newline = text.indexOf('\n', nextChar);
      int end = newline < 0 ? text.length() : newline;
      if (size == starts.length) {
        starts = java.util.Arrays.copyOf(starts, size * 2);
        ends = java.util.Arrays.copyOf(ends, size * 2);
        tokens = java.util.Arrays.copyOf(tokens, size * 2);
      }
      starts[size] = nextChar;
      ends[size] = end;
      // A line too long to be one chunk is split anyway: it is not tokenized here as a whole.
      tokens[size] =
          end - nextChar > charBudget
              ? budget + 1
              : isBlankText(text, nextChar, end)
                  ? 0
                  : tokenizer.countTokens(text.substring(nextChar, end));
      size++;
      nextChar = end + 1;
    }

    /** Forgets the lines before {@code i}. */
    void dropBefore(long i) {
      int drop = (int) Math.min(size, i - base);
      if (drop <= 0) {
        return;
      }
      System.arraycopy(starts, drop, starts, 0, size - drop);
      System.arraycopy(ends, drop, ends, 0, size - drop);
      System.arraycopy(tokens, drop, tokens, 0, size - drop);
      size -= drop;
      base += drop;
    }

    int start(long i) {
      return starts[(int) (i - base)];
    }

    int end(long i) {
      return ends[(int) (i - base)];
    }

    int length(long i) {
      return end(i) - start(i);
    }

    int tokens(long i) {
      return tokens[(int) (i - base)];
    }

    int number(long i) {
      return firstLine + (int) i;
    }

    boolean isBlank(long i) {
      return tokens(i) == 0 && isBlankText(text, start(i), end(i));
    }

    /** Whether line {@code i} alone exceeds a chunk's budget of tokens or characters. */
    boolean isLong(long i) {
      return tokens(i) > budget || length(i) > charBudget;
    }
  }

  /** 128 bits of SHA-256, hex: collision-free for any tree, short enough to store per chunk. */
  static String hash(String embeddingInput) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(embeddingInput.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
