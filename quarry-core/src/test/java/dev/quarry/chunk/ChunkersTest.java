package dev.quarry.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.extract.ExtractedDocument;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ChunkersTest {
  private final WordTokenizer tokenizer = new WordTokenizer();

  /** 20 tokens a chunk, 4 of overlap, 5 of context. */
  private final ChunkingPolicy policy = new ChunkingPolicy(20, 4, 5);

  private final Chunker chunker = Chunkers.standard(tokenizer, policy);

  private static ExtractedDocument doc(String text, String language) {
    return new ExtractedDocument(text, language, List.of(), "UTF-8", 0);
  }

  private static String numberedLines(int count, int wordsPerLine) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> ("w" + i + " ").repeat(wordsPerLine).strip())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theSyntaxKindChunksCodeAlongItsSyntaxAndMarkdownBySections() {
    Chunker syntax = Chunkers.of(ChunkerKind.SYNTAX, tokenizer, policy, () -> {});
    String java =
        "class A {\n  void one() {\n    int a = b1 + b2 + b3;\n  }\n\n"
            + "  void two() {\n    int b = c1 + c2 + c3;\n  }\n}\n";
    assertThat(syntax.chunk("A.java", doc(java, "java")))
        .extracting(Chunk::startLine, Chunk::endLine, Chunk::context)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 4, "class A"),
            org.assertj.core.groups.Tuple.tuple(6, 9, "class A"));
    String markdown = "# Guide\n\nsome words here\n";
    assertThat(syntax.chunk("g.md", doc(markdown, "markdown")))
        .isEqualTo(chunker.chunk("g.md", doc(markdown, "markdown")));
    assertThat(ChunkerKind.SYNTAX.version()).isNotEqualTo(ChunkerKind.LINES.version());
  }

  @Test
  void smallFileIsOneChunkWithExactLineRange() {
    List<Chunk> chunks = chunker.chunk("a.java", doc("class A {\n  int x;\n}\n", "java"));
    assertThat(chunks)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.startLine()).isEqualTo(1);
              assertThat(c.endLine()).isEqualTo(3);
              assertThat(c.text()).isEqualTo("class A {\n  int x;\n}");
              assertThat(c.path()).isEqualTo("a.java");
              assertThat(c.language()).isEqualTo("java");
              assertThat(c.ordinal()).isZero();
              assertThat(c.hash()).hasSize(32);
            });
  }

  @Test
  void chunksStayWithinBudgetCoverEveryLineAndOverlapOnForcedCuts() {
    // 30 lines of 3 tokens: 6 lines fit in 20 tokens; a forced cut repeats one line (3 <= 4
    // tokens).
    List<Chunk> chunks = chunker.chunk("f.txt", doc(numberedLines(30, 3), "text"));
    assertThat(chunks)
        .allSatisfy(
            c -> assertThat(tokenizer.countTokens(c.embeddingInput())).isLessThanOrEqualTo(20));
    assertThat(chunks.get(0).startLine()).isEqualTo(1);
    assertThat(chunks.get(0).endLine()).isEqualTo(6);
    assertThat(chunks.get(1).startLine()).isEqualTo(6);
    assertThat(chunks.get(chunks.size() - 1).endLine()).isEqualTo(30);
    for (int i = 1; i < chunks.size(); i++) {
      assertThat(chunks.get(i).startLine()).isLessThanOrEqualTo(chunks.get(i - 1).endLine() + 1);
      assertThat(chunks.get(i).ordinal()).isEqualTo(i);
    }
  }

  @Test
  void cutsAtABlankLineInsteadOfOverlappingWhenOneIsNear() {
    String text = "a1 a2 a3\na4 a5 a6\na7 a8 a9\na10 a11 a12\n\nb1 b2 b3\nb4 b5 b6\nb7 b8 b9\n";
    List<Chunk> chunks = chunker.chunk("f.txt", doc(text, "text"));
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 4), org.assertj.core.groups.Tuple.tuple(6, 8));
  }

  @Test
  void aLineLongerThanTheBudgetIsSplitAtTokenBoundaries() {
    String longLine = "x ".repeat(45).strip();
    List<Chunk> chunks =
        chunker.chunk("min.js", doc("short line\n" + longLine + "\nend", "javascript"));
    assertThat(chunks).extracting(Chunk::startLine).containsExactly(1, 2, 2, 2, 3);
    assertThat(chunks.subList(1, 4))
        .extracting(c -> tokenizer.countTokens(c.text()))
        .containsExactly(20, 20, 5);
  }

  @Test
  void blankDocumentHasNoChunks() {
    assertThat(chunker.chunk("e.txt", doc("\n   \n\t\n", "text"))).isEmpty();
  }

  @Test
  void pdfChunksKnowTheirPage() {
    ExtractedDocument pdf =
        new ExtractedDocument(numberedLines(12, 3), "pdf", List.of(1, 7), "pdf", 0);
    List<Chunk> chunks = chunker.chunk("p.pdf", pdf);
    assertThat(chunks.get(0).page()).isEqualTo(1);
    assertThat(chunks)
        .filteredOn(c -> c.startLine() >= 7)
        .allSatisfy(c -> assertThat(c.page()).isEqualTo(2));
  }

  @Test
  void markdownChunksFollowSectionsAndCarryTheHeadingPath() {
    String md =
        String.join(
            "\n",
            "# Guide",
            "## Install",
            "Run the installer now.",
            "```",
            "# not a heading",
            "```",
            "## Usage",
            "Call it.",
            "");
    List<Chunk> chunks = chunker.chunk("README.md", doc(md, "markdown"));
    assertThat(chunks)
        .extracting(Chunk::context, Chunk::startLine, Chunk::endLine)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Guide > Install", 1, 6),
            org.assertj.core.groups.Tuple.tuple("Guide > Usage", 7, 8));
    assertThat(chunks.get(1).embeddingInput()).isEqualTo("Guide > Usage\n## Usage\nCall it.");
  }

  @Test
  void setextHeadingsStartSections() {
    String md = "Title\n=====\nintro text\n\nPart\n----\nbody text\n";
    List<Chunk> chunks = chunker.chunk("doc.md", doc(md, "markdown"));
    assertThat(chunks).extracting(Chunk::context).containsExactly("Title", "Title > Part");
  }

  @Test
  void sameTextAndContextGiveTheSameHashWhereverTheyAre() {
    Chunk a = chunker.chunk("a.txt", doc("same words here", "text")).get(0);
    Chunk b = chunker.chunk("dir/b.txt", doc("\n\nsame words here", "text")).get(0);
    assertThat(a.hash()).isEqualTo(b.hash());
    assertThat(b.startLine()).isEqualTo(3);
  }

  // Issue 11, item 1: one 50 MB line was tokenized whole (and as one word copied and cached), and
  // its chunk held all 50 MB: memory followed the file, and the run died of it.
  @Test
  @Tag("hostile")
  void aWordOfAnyLengthBecomesChunksOfBoundedCharactersAndNothingIsLost() {
    String word = "y".repeat(3 * LinePacker.SEGMENT_CHARS + 5);
    RecordingTokenizer recording = new RecordingTokenizer(tokenizer);
    List<Chunk> chunks =
        Chunkers.standard(recording, policy).chunk("a.txt", doc("x\n" + word + "\nz", "text"));
    int maxChars = policy.maxTokens() * 64;
    assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(maxChars));
    assertThat(chunks.stream().filter(c -> c.startLine() == 2).map(Chunk::text))
        .allSatisfy(t -> assertThat(t).matches("y+"));
    assertThat(
            chunks.stream()
                .filter(c -> c.startLine() == 2)
                .map(Chunk::text)
                .collect(Collectors.joining()))
        .isEqualTo(word);
    assertThat(recording.longestInput).isLessThanOrEqualTo(LinePacker.SEGMENT_CHARS);
  }

  // Issue 11, item 1: the whole document went through the tokenizer at once (token arrays of 4x
  // the file's size); now only lines, and segments of over-long lines, do.
  @Test
  @Tag("hostile")
  void theTokenizerNeverSeesMoreThanALineOrASegmentOfOne() {
    String longLine = "ab cd ".repeat(100_000);
    String text = numberedLines(5_000, 3) + "\n" + longLine + "\n" + numberedLines(50, 3);
    RecordingTokenizer recording = new RecordingTokenizer(tokenizer);
    for (String language : List.of("text", "markdown")) {
      List<Chunk> chunks = Chunkers.standard(recording, policy).chunk("a", doc(text, language));
      assertThat(chunks)
          .allSatisfy(
              c -> assertThat(tokenizer.countTokens(c.embeddingInput())).isLessThanOrEqualTo(20));
      assertThat(chunks.get(chunks.size() - 1).endLine()).isEqualTo(5_051);
      assertThat(
              chunks.stream()
                  .filter(c -> c.startLine() == 5_001)
                  .mapToInt(c -> tokenizer.countTokens(c.text()))
                  .sum())
          .isEqualTo(200_000);
    }
    assertThat(recording.longestInput).isLessThanOrEqualTo(LinePacker.SEGMENT_CHARS);
  }

  /** Passes calls on to a tokenizer and remembers the longest text it was given. */
  private static final class RecordingTokenizer implements Tokenizer {
    private final Tokenizer delegate;
    int longestInput;

    RecordingTokenizer(Tokenizer delegate) {
      this.delegate = delegate;
    }

    @Override
    public TokenSpans tokenize(String text) {
      longestInput = Math.max(longestInput, text.length());
      return delegate.tokenize(text);
    }
  }
}
