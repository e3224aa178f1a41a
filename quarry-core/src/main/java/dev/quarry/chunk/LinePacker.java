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
 */
final class LinePacker {
  private final String path;
  private final ExtractedDocument document;
  private final String text;
  private final ChunkingPolicy policy;
  private final TokenSpans tokens;

  /**
   * Char offset where each line starts; one extra entry, text.length() + 1, closes the last line.
   */
  private final int[] lineStarts;

  private final int[] lineTokens;
  private final List<Chunk> out;

  LinePacker(
      String path,
      ExtractedDocument document,
      TokenSpans tokens,
      ChunkingPolicy policy,
      List<Chunk> out) {
    this.path = path;
    this.document = document;
    this.text = document.text();
    this.policy = policy;
    this.tokens = tokens;
    this.out = out;
    this.lineStarts = lineStarts(text);
    this.lineTokens = tokensPerLine(lineStarts, tokens);
  }

  /** Number of lines in the document. */
  int lineCount() {
    return lineStarts.length - 1;
  }

  /** Line {@code i} (0-based) without its newline. */
  String line(int i) {
    return text.substring(lineStarts[i], lineEnd(i));
  }

  int tokensOfLines(int from, int to) {
    int sum = 0;
    for (int i = from; i < to; i++) {
      sum += lineTokens[i];
    }
    return sum;
  }

  /**
   * Chunks lines {@code [from, to)} (0-based), each chunk carrying {@code context}.
   *
   * @param contextTokens tokens the context takes from the budget
   */
  void pack(int from, int to, String context, int contextTokens) {
    int budget = Math.max(8, policy.maxTokens() - contextTokens);
    int i = from;
    while (i < to) {
      while (i < to && isBlank(i)) {
        i++;
      }
      if (i >= to) {
        return;
      }
      if (lineTokens[i] > budget) {
        splitLongLine(i, context, budget);
        i++;
        continue;
      }
      int j = i;
      int used = 0;
      while (j < to && used + lineTokens[j] <= budget) {
        used += lineTokens[j];
        j++;
      }
      boolean natural = j >= to;
      if (!natural) {
        // Prefer to end at a blank line in the chunk's second half: paragraphs and functions are
        // usually separated by one, so the chunk stays a unit of meaning.
        for (int k = j - 1; k > i + (j - i) / 2; k--) {
          if (isBlank(k)) {
            j = k;
            natural = true;
            break;
          }
        }
      }
      emit(i, j, context);
      if (j >= to) {
        return;
      }
      i = natural ? j : overlapStart(i, j);
    }
  }

  /** Where the next chunk starts after a forced cut at {@code end}: back over a few whole lines. */
  private int overlapStart(int start, int end) {
    int o = end;
    int overlap = 0;
    while (o - 1 > start && overlap + lineTokens[o - 1] <= policy.overlapTokens()) {
      overlap += lineTokens[o - 1];
      o--;
    }
    return o;
  }

  private void splitLongLine(int line, String context, int budget) {
    int lineStart = lineStarts[line];
    int lineEnd = lineEnd(line);
    int first = tokens.firstTokenAtOrAfter(lineStart);
    int last = tokens.firstTokenAtOrAfter(lineEnd); // exclusive
    for (int t = first; t < last; t += budget) {
      int pieceStart = t == first ? lineStart : tokens.start(t);
      int pieceEnd = t + budget < last ? tokens.start(t + budget) : lineEnd;
      String piece = text.substring(pieceStart, pieceEnd);
      if (!piece.isBlank()) {
        add(line, line, context, piece);
      }
    }
  }

  private void emit(int from, int to, String context) {
    int last = to - 1;
    while (last > from && isBlank(last)) {
      last--;
    }
    add(from, last, context, text.substring(lineStarts[from], lineEnd(last)));
  }

  private void add(int fromLine, int toLine, String context, String chunkText) {
    int startLine = fromLine + 1;
    out.add(
        new Chunk(
            path,
            document.language(),
            out.size(),
            startLine,
            toLine + 1,
            document.pageOfLine(startLine),
            context,
            chunkText,
            hash(Chunk.embeddingInput(context, chunkText))));
  }

  private int lineEnd(int i) {
    return lineStarts[i + 1] - 1;
  }

  boolean isBlank(int i) {
    for (int c = lineStarts[i]; c < lineEnd(i); c++) {
      if (!Character.isWhitespace(text.charAt(c))) {
        return false;
      }
    }
    return true;
  }

  private static int[] lineStarts(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    int[] starts = new int[lines + 1];
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[line++] = i + 1;
      }
    }
    starts[lines] = text.length() + 1;
    return starts;
  }

  private static int[] tokensPerLine(int[] lineStarts, TokenSpans tokens) {
    int[] perLine = new int[lineStarts.length - 1];
    int line = 0;
    for (int t = 0; t < tokens.count(); t++) {
      while (line < perLine.length - 1 && tokens.start(t) >= lineStarts[line + 1]) {
        line++;
      }
      perLine[line]++;
    }
    return perLine;
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
