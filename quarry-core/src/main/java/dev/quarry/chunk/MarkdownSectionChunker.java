package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.util.ArrayList;
import java.util.List;
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

  /** A section: lines [start, end) and the heading path that governs them. */
  private record Section(int start, int end, String path) {}

  @Override
  public List<Chunk> chunk(String path, ExtractedDocument document) {
    TokenSpans tokens = tokenizer.tokenize(document.text());
    List<Chunk> out = new ArrayList<>();
    LinePacker packer = new LinePacker(path, document, tokens, policy, out);
    for (Section section : sections(packer)) {
      String context = fitContext(section.path());
      int contextTokens = context.isEmpty() ? 0 : tokenizer.countTokens(context);
      packer.pack(section.start(), section.end(), context, contextTokens);
    }
    return out;
  }

  private List<Section> sections(LinePacker packer) {
    List<Section> sections = new ArrayList<>();
    String[] stack = new String[7];
    int sectionStart = 0;
    String sectionPath = "";
    String fence = null;
    int lines = packer.lineCount();
    for (int i = 0; i < lines; i++) {
      String line = packer.line(i);
      Matcher fenceMatch = FENCE.matcher(line);
      if (fenceMatch.find()) {
        String marker = fenceMatch.group(1);
        if (fence == null) {
          fence = marker;
        } else if (marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()) {
          fence = null;
        }
        continue;
      }
      if (fence != null) {
        continue;
      }
      int level = 0;
      String title = null;
      int headingLine = i;
      Matcher atx = ATX.matcher(line);
      if (atx.matches()) {
        level = atx.group(1).length();
        title = atx.group(2) == null ? "" : atx.group(2).strip();
      } else if (i > sectionStart
          && !packer.isBlank(i - 1)
          && !isListItem(packer.line(i - 1))
          && (SETEXT_H1.matcher(line).matches() || SETEXT_H2.matcher(line).matches())) {
        level = line.strip().charAt(0) == '=' ? 1 : 2;
        title = packer.line(i - 1).strip();
        headingLine = i - 1;
      }
      if (level == 0) {
        continue;
      }
      if (hasContent(packer, sectionStart, headingLine)) {
        sections.add(new Section(sectionStart, headingLine, sectionPath));
        sectionStart = headingLine;
      }
      // A heading with nothing under it yet stays in the section that starts here, so
      // "# Title" followed by "## Part" makes one section, not a chunk holding only a title.
      stack[level] = title;
      for (int deeper = level + 1; deeper < stack.length; deeper++) {
        stack[deeper] = null;
      }
      sectionPath = joinPath(stack);
    }
    sections.add(new Section(sectionStart, lines, sectionPath));
    return sections;
  }

  /** Whether lines [from, to) hold anything but blank lines and headings. */
  private static boolean hasContent(LinePacker packer, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!packer.isBlank(i) && !ATX.matcher(packer.line(i)).matches()) {
        return true;
      }
    }
    return false;
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
