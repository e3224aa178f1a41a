package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chunks Markdown section by section: a chunk never spans two sections, and each chunk carries its
 * heading path ("Install > From source") as context, so a chunk deep in a section still says what
 * it is about. Headings inside fenced code blocks are not headings.
 */
final class MarkdownSectionChunker implements Chunker {
  private static final Pattern ATX =
      Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern SETEXT_H1 = Pattern.compile("^ {0,3}=+[ \\t]*$");
  private static final Pattern SETEXT_H2 = Pattern.compile("^ {0,3}-+[ \\t]*$");
  private static final String SEPARATOR = " > ";

  private final Tokenizer tokenizer;
  private final ChunkingPolicy policy;

  MarkdownSectionChunker(Tokenizer tokenizer, ChunkingPolicy policy) {
    this.tokenizer = tokenizer;
    this.policy = policy;
  }

  /**
   * A section: the lines starting in chars [startChar, endChar), the first being line {@code
   * firstLine} (1-based), and the heading path that governs them.
   */
  private record Section(int startChar, int endChar, int firstLine, String path) {}

  @Override
  public List<Chunk> chunk(String path, ExtractedDocument document) {
    List<Chunk> out = new ArrayList<>();
    LinePacker packer = new LinePacker(path, document, tokenizer, policy, out);
    // Each section is packed as soon as its end is found: a document is read once, line by line.
    forEachSection(
        document.text(),
        packer.maxChunkChars(),
        section -> {
          String context = fitContext(section.path());
          int contextTokens = context.isEmpty() ? 0 : tokenizer.countTokens(context);
          packer.pack(
              section.startChar(), section.endChar(), section.firstLine(), context, contextTokens);
        });
    return out;
  }

  /**
   * Finds the sections of {@code text} in order. Lines longer than {@code longLine} chars are
   * content, never headings or fences (a chunk could not hold them as a title anyway).
   */
  private static void forEachSection(String text, int longLine, Consumer<Section> sink) {
    String[] stack = new String[7];
    int sectionStart = 0;
    int sectionLine = 1;
    String sectionPath = "";
    String fence = null;
    // Whether a line in [sectionStart, this line), or in [sectionStart, the previous line), holds
    // anything but blanks and headings: a heading ends a section only when it has content.
    boolean content = false;
    boolean contentBeforePrevious = false;
    boolean previousContent = false;
    int previousStart = -1;
    int previousEnd = -1;
    boolean previousBlank = true;
    boolean previousListItem = false;
    int lineNumber = 1;
    for (int pos = 0; pos <= text.length(); lineNumber++) {
      int newline = text.indexOf('\n', pos);
      int end = newline < 0 ? text.length() : newline;
      boolean blank = LinePacker.isBlankText(text, pos, end);
      CharSequence line = end - pos > longLine ? null : CharBuffer.wrap(text, pos, end);
      boolean atx = line != null && ATX.matcher(line).matches();
      boolean lineContent = !blank && !atx;
      Matcher fenceMatch = line == null ? null : FENCE.matcher(line);
      if (fenceMatch != null && fenceMatch.find()) {
        String marker = fenceMatch.group(1);
        if (fence == null) {
          fence = marker;
        } else if (marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()) {
          fence = null;
        }
      } else if (fence == null && line != null) {
        int level = 0;
        String title = null;
        boolean setext = false;
        if (atx) {
          Matcher heading = ATX.matcher(line);
          heading.matches();
          level = heading.group(1).length();
          title = heading.group(2) == null ? "" : heading.group(2).strip();
        } else if (lineNumber > sectionLine
            && previousStart >= 0
            && !previousBlank
            && !previousListItem
            && previousEnd - previousStart <= longLine
            && (SETEXT_H1.matcher(line).matches() || SETEXT_H2.matcher(line).matches())) {
          level = line.toString().strip().charAt(0) == '=' ? 1 : 2;
          title = text.substring(previousStart, previousEnd).strip();
          setext = true;
        }
        if (level > 0) {
          int headingStart = setext ? previousStart : pos;
          if (setext ? contentBeforePrevious : content) {
            sink.accept(new Section(sectionStart, headingStart, sectionLine, sectionPath));
            sectionStart = headingStart;
            sectionLine = setext ? lineNumber - 1 : lineNumber;
            content = setext && previousContent;
          }
          // A heading with nothing under it yet stays in the section that starts here, so
          // "# Title" followed by "## Part" makes one section, not a chunk holding only a title.
          stack[level] = title;
          for (int deeper = level + 1; deeper < stack.length; deeper++) {
            stack[deeper] = null;
          }
          sectionPath = joinPath(stack);
        }
      }
      contentBeforePrevious = content;
      content |= lineContent;
      previousContent = lineContent;
      previousStart = pos;
      previousEnd = end;
      previousBlank = blank;
      previousListItem = line != null && isListItem(line.toString());
      pos = end + 1;
    }
    sink.accept(new Section(sectionStart, text.length() + 1, sectionLine, sectionPath));
  }

  private static boolean isListItem(String line) {
    String s = line.stripLeading();
    return s.startsWith("- ") || s.startsWith("* ") || s.startsWith("+ ");
  }

  private static String joinPath(String[] stack) {
    StringBuilder path = new StringBuilder();
    for (String title : stack) {
      if (title != null && !title.isEmpty()) {
        if (!path.isEmpty()) {
          path.append(SEPARATOR);
        }
        path.append(title);
      }
    }
    return path.toString();
  }

  /**
   * Cuts the heading path to the policy's context budget, keeping its end (the nearest heading).
   */
  private String fitContext(String path) {
    if (path.isEmpty()) {
      return path;
    }
    TokenSpans spans = tokenizer.tokenize(path);
    int excess = spans.count() - policy.maxContextTokens();
    if (excess <= 0) {
      return path;
    }
    return path.substring(spans.start(excess)).strip();
  }
}
