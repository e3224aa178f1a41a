package dev.quarry.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.quarry.extract.ExtractedDocument;
import dev.quarry.extract.Languages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntaxChunkerTest {
  private final WordTokenizer tokenizer = new WordTokenizer();

  private static ExtractedDocument doc(String text, String language) {
    return new ExtractedDocument(text, language, List.of(), "UTF-8", 0);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SyntaxChunkerTest.class.getResourceAsStream("/syntax/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every non-blank line is in a chunk, every chunk is within budget and its text its lines. */
  private void assertCoversAndFits(String text, List<Chunk> chunks, ChunkingPolicy policy) {
    String[] lines = text.split("\n", -1);
    Set<Integer> covered = new HashSet<>();
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertThat(c.ordinal()).isEqualTo(i);
      assertThat(tokenizer.countTokens(c.embeddingInput()))
          .as("chunk %d tokens", i)
          .isLessThanOrEqualTo(policy.maxTokens());
      assertThat(c.text())
          .isEqualTo(String.join("\n", List.of(lines).subList(c.startLine() - 1, c.endLine())));
      IntStream.rangeClosed(c.startLine(), c.endLine()).forEach(covered::add);
    }
    for (int line = 1; line <= lines.length; line++) {
      if (!lines[line - 1].isBlank()) {
        assertThat(covered).as("line %d covered", line).contains(line);
      }
    }
  }

  @Test
  void javaClassLargerThanTheBudgetIsSplitAtItsMethodsWithTheClassAsContext() throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(22, 3, 5);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    String text = resource("Registry.java");
    List<Chunk> chunks = chunker.chunk("Registry.java", doc(text, "java"));
    // Package and imports merged; the class header with its field; one chunk per method (its
    // Javadoc with it), each saying which class it belongs to.
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine, Chunk::context)
        .containsExactly(
            tuple(1, 4, ""),
            tuple(6, 8, "public class Registry"),
            tuple(10, 13, "public class Registry"),
            tuple(15, 18, "public class Registry"));
    assertThat(chunks.get(2).text()).startsWith("  /** Adds one. */\n  public void add(");
    assertThat(chunks.get(2).embeddingInput()).startsWith("public class Registry\n  /** Adds");
    assertThat(chunker.fallbacks()).isZero();
    assertCoversAndFits(text, chunks, policy);
  }

  @Test
  void pythonClassIsSplitAtMethodsAndSmallNeighboursAreMerged() throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(20, 3, 5);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    String text = resource("store.py");
    List<Chunk> chunks = chunker.chunk("store.py", doc(text, "python"));
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine, Chunk::context)
        .containsExactly(
            tuple(1, 2, ""),
            // class line, docstring and __init__ fit together; the decorated key() with load().
            tuple(5, 10, "class Store"),
            tuple(12, 19, "class Store"),
            tuple(22, 23, ""));
    assertThat(chunker.fallbacks()).isZero();
    assertCoversAndFits(text, chunks, policy);
  }

  @Test
  void aContainerHeaderOpensTheSplitOfWhatItHoldsAndATrailingCommentStaysWithItsBrace()
      throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(40, 4, 10);
    String text = resource("shelf.cpp");
    List<Chunk> chunks = new SyntaxChunker(tokenizer, policy).chunk("s.cpp", doc(text, "cpp"));
    // "namespace store {" (line 4) is not a chunk of its own, nor is "}  // namespace store".
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine, Chunk::context)
        .containsExactly(
            tuple(1, 2, ""),
            tuple(4, 12, "namespace store > class Shelf"),
            tuple(14, 18, "namespace store > class Shelf"),
            tuple(20, 31, "namespace store > class Shelf"));
    assertCoversAndFits(text, chunks, policy);
  }

  @Test
  void aFileThatFitsIsOneChunk() throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(200, 10, 20);
    String text = resource("store.py");
    List<Chunk> chunks = new SyntaxChunker(tokenizer, policy).chunk("s.py", doc(text, "python"));
    assertThat(chunks).extracting(Chunk::startLine, Chunk::endLine).containsExactly(tuple(1, 23));
  }

  @Test
  void smallFunctionsAreMergedUpToTheBudgetAndNeverCutInside() {
    // Ten functions of 4 tokens each ("def fN():" and "return N" = 2 + 2); 20 tokens hold five.
    String text =
        IntStream.range(0, 10)
            .mapToObj(i -> "def f" + i + "():\n    return " + i + "\n")
            .collect(Collectors.joining("\n"));
    ChunkingPolicy policy = new ChunkingPolicy(20, 3, 5);
    List<Chunk> chunks = new SyntaxChunker(tokenizer, policy).chunk("f.py", doc(text, "python"));
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine)
        .containsExactly(tuple(1, 14), tuple(16, 29));
    assertCoversAndFits(text, chunks, policy);
  }

  @Test
  void aHugeMethodIsPackedByLinesWithClassAndSignatureAsContext() {
    StringBuilder text = new StringBuilder("public class Big {\n  void run(int n) {\n");
    for (int i = 0; i < 40; i++) {
      text.append("    step").append(i).append("(n);\n");
    }
    text.append("  }\n\n  int small() {\n    return 1;\n  }\n}\n");
    ChunkingPolicy policy = new ChunkingPolicy(32, 3, 8);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    List<Chunk> chunks = chunker.chunk("Big.java", doc(text.toString(), "java"));
    // run() spans lines 2-43: cut by lines, each piece saying it is Big's run(int n).
    List<Chunk> run = chunks.stream().filter(c -> c.endLine() <= 43 && c.startLine() >= 2).toList();
    assertThat(run).hasSizeGreaterThan(1);
    assertThat(run)
        .allSatisfy(c -> assertThat(c.context()).isEqualTo("public class Big > void run(int n)"));
    assertThat(chunks.get(chunks.size() - 1).text()).contains("int small()");
    assertThat(chunks.get(chunks.size() - 1).context()).isEqualTo("public class Big");
    assertCoversAndFits(text.toString(), chunks, policy);
  }

  @Test
  void aFileThatDoesNotParseFallsBackToLinesAndIsCounted() {
    ChunkingPolicy policy = new ChunkingPolicy(20, 3, 5);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    String text = "public class {{ oops ] (\n  void x( {\n}\n";
    List<Chunk> chunks = chunker.chunk("Bad.java", doc(text, "java"));
    assertThat(chunks)
        .isEqualTo(new LineChunker(tokenizer, policy).chunk("Bad.java", doc(text, "java")));
    assertThat(chunker.fallbacks()).isEqualTo(1);
  }

  @Test
  void aLocalSyntaxErrorCostsOnlyTheBoundariesNearIt() {
    // One bad line in a C file wrapped whole in an #if: the rest is still chunked by functions.
    StringBuilder text = new StringBuilder("#ifndef NO_SHELF\n");
    for (int i = 0; i < 8; i++) {
      text.append("int f")
          .append(i)
          .append("(int x) {\n  return x * ")
          .append(i)
          .append(";\n}\n\n");
    }
    text.append("int broken(int x) {\n  return x +* ;\n}\n#endif\n");
    ChunkingPolicy policy = new ChunkingPolicy(24, 3, 6);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    List<Chunk> chunks = chunker.chunk("shelf.c", doc(text.toString(), "c"));
    assertThat(chunker.fallbacks()).isZero();
    // Each chunk starts at a function (or the #if line), never inside one.
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.text()).matches("(?s)(#ifndef|int f|int broken).*"));
    assertThat(chunks).allSatisfy(c -> assertThat(c.context()).isEmpty());
    assertCoversAndFits(text.toString(), chunks, policy);
  }

  @Test
  void everyGrammarLoadsHereAndEveryLanguageIsOneQuarryKnows() {
    assertThat(SyntaxGrammars.languages())
        .containsExactlyInAnyOrder(
            "java",
            "python",
            "javascript",
            "jsx",
            "typescript",
            "go",
            "rust",
            "c",
            "cpp",
            "csharp",
            "kotlin",
            "ruby",
            "php");
    assertThat(Languages.names()).containsAll(SyntaxGrammars.languages());
    for (String language : SyntaxGrammars.languages()) {
      assertThat(SyntaxGrammars.forLanguage(language)).as(language).isNotNull();
    }
  }

  @Test
  void aGrammarThatFailsToLoadFallsBackToLinesAndIsCounted() throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(22, 3, 5);
    int[] told = {0};
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy, () -> told[0]++, language -> null);
    String text = resource("Registry.java");
    assertThat(chunker.chunk("R.java", doc(text, "java")))
        .isEqualTo(new LineChunker(tokenizer, policy).chunk("R.java", doc(text, "java")));
    assertThat(chunker.fallbacks()).isEqualTo(1);
    assertThat(told[0]).isEqualTo(1);
  }

  @Test
  void aLanguageWithoutGrammarGoesToLinesUncounted() {
    ChunkingPolicy policy = new ChunkingPolicy(20, 3, 5);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    String text = "key: value\nother: 2\n";
    assertThat(chunker.chunk("a.yaml", doc(text, "yaml")))
        .isEqualTo(new LineChunker(tokenizer, policy).chunk("a.yaml", doc(text, "yaml")));
    assertThat(chunker.fallbacks()).isZero();
  }

  @Test
  void aFileOverTheSyntaxSizeCapIsChunkedByLinesUncounted() {
    ChunkingPolicy policy = new ChunkingPolicy(200, 10, 20);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    String body = "  int f" + "x".repeat(100) + "() { return 1; }\n";
    String text =
        "class Huge {\n" + body.repeat(SyntaxChunker.MAX_SYNTAX_CHARS / body.length() + 1) + "}\n";
    assertThat(chunker.chunk("Huge.java", doc(text, "java")))
        .isEqualTo(new LineChunker(tokenizer, policy).chunk("Huge.java", doc(text, "java")));
    assertThat(chunker.fallbacks()).isZero();
  }

  @Test
  void emptyBlankAndCommentOnlyFilesChunkAsLinesDo() {
    ChunkingPolicy policy = new ChunkingPolicy(20, 3, 5);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    for (String text : List.of("", "\n\n  \n", "// only a comment\n", "/* a\n   b */")) {
      assertThat(chunker.chunk("A.java", doc(text, "java")))
          .as("'%s'", text)
          .isEqualTo(new LineChunker(tokenizer, policy).chunk("A.java", doc(text, "java")));
    }
    assertThat(chunker.fallbacks()).isZero();
  }

  @Test
  void nonAsciiTextKeepsExactLineRanges() {
    // tree-sitter counts columns in UTF-8 bytes; chunks are cut by rows, which no encoding moves.
    String text =
        "class Café:\n    \"\"\"Crème brûlée 🍮 für alle.\"\"\"\n\n"
            + "    def prix(self):\n        return \"12 € — très cher ✓\"\n\n"
            + "    def menü(self):\n        return [\"ß\", \"日本語\", \"🍮\"]\n";
    ChunkingPolicy policy = new ChunkingPolicy(16, 3, 4);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    List<Chunk> chunks = chunker.chunk("cafe.py", doc(text, "python"));
    assertThat(chunks)
        .extracting(Chunk::startLine, Chunk::endLine, Chunk::context)
        .containsExactly(
            tuple(1, 2, "class Café"), tuple(4, 5, "class Café"), tuple(7, 8, "class Café"));
    assertThat(chunker.fallbacks()).isZero();
    assertCoversAndFits(text, chunks, policy);
  }

  @Test
  void chunkingIsDeterministic() throws IOException {
    ChunkingPolicy policy = new ChunkingPolicy(24, 3, 6);
    String text = resource("Registry.java");
    List<Chunk> first = new SyntaxChunker(tokenizer, policy).chunk("R.java", doc(text, "java"));
    List<Chunk> second = new SyntaxChunker(tokenizer, policy).chunk("R.java", doc(text, "java"));
    assertThat(second).isEqualTo(first);
  }

  /**
   * Per language (Java and Python have their own tests above): a container ("Shelf") with three
   * methods alpha, beta, gamma, too big for one chunk. Chunks start only at the file's start, the
   * container, or a method; when methods are nested, their chunks name the container in their
   * context.
   */
  @ParameterizedTest
  @CsvSource({
    "shelf.js, true",
    "shelf.ts, true",
    "shelf.go, false",
    "shelf.rs, true",
    "shelf.c, false",
    "shelf.cpp, true",
    "Shelf.cs, true",
    "Shelf.kt, true",
    "shelf.rb, true",
    "Shelf.php, true"
  })
  void eachLanguageChunksAtDefinitions(String file, boolean nested) throws IOException {
    String text = resource(file);
    String language = Languages.forPath(file);
    ChunkingPolicy policy = new ChunkingPolicy(40, 4, 10);
    SyntaxChunker chunker = new SyntaxChunker(tokenizer, policy);
    List<Chunk> chunks = chunker.chunk(file, doc(text, language));
    assertThat(chunker.fallbacks()).as("%s parsed cleanly", file).isZero();
    assertThat(chunks).hasSizeGreaterThan(1);
    String[] lines = text.split("\n", -1);
    for (Chunk c : chunks) {
      String first = lines[c.startLine() - 1];
      assertThat(c.startLine() == 1 || isBoundary(first) || isBoundary(lines[c.startLine()]))
          .as("%s: chunk at line %d starts at a definition: %s", file, c.startLine(), first)
          .isTrue();
    }
    if (nested) {
      assertThat(chunks)
          .filteredOn(c -> c.text().contains("gamma"))
          .singleElement()
          .satisfies(c -> assertThat(c.context()).contains("Shelf"));
    }
    assertCoversAndFits(text, chunks, policy);
  }

  private static boolean isBoundary(String line) {
    return line.matches(".*\\b(alpha|beta|gamma|Shelf|namespace)\\b.*");
  }
}
