package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.util.List;
import java.util.function.Supplier;

/** The chunkers Quarry ships, chosen per document by language. */
public final class Chunkers {
  /**
   * Bumped whenever chunk boundaries change for the same input, so files chunked by an older
   * version are re-chunked on the next run.
   */
  public static final String VERSION = "lines-md-1";

  private Chunkers() {}

  /**
   * As {@link #standard}, with the tokenizer obtained on first use (it can take a while to load,
   * and a run with nothing changed never needs it). Thread-safe if {@code tokenizer} is.
   */
  public static Chunker lazy(Supplier<Tokenizer> tokenizer, ChunkingPolicy policy) {
    return lazy(tokenizer, policy, ChunkerKind.LINES, () -> {});
  }

  /**
   * As {@link #of}, with the tokenizer obtained on first use. {@code onSyntaxFallback} is told of
   * each file of a language with a grammar that was chunked by lines because it did not parse.
   */
  public static Chunker lazy(
      Supplier<Tokenizer> tokenizer,
      ChunkingPolicy policy,
      ChunkerKind kind,
      Runnable onSyntaxFallback) {
    return new Chunker() {
      private volatile Chunker delegate;

      @Override
      public List<Chunk> chunk(String path, ExtractedDocument document) {
        Chunker d = delegate;
        if (d == null) {
          d = of(kind, tokenizer.get(), policy, onSyntaxFallback);
          delegate = d;
        }
        return d.chunk(path, document);
      }
    };
  }

  /** Markdown by sections, everything else by lines; both bounded by {@code tokenizer}'s tokens. */
  public static Chunker standard(Tokenizer tokenizer, ChunkingPolicy policy) {
    return of(ChunkerKind.LINES, tokenizer, policy, () -> {});
  }

  /**
   * Markdown by sections; code along its syntax ({@link ChunkerKind#SYNTAX}) or by lines;
   * everything else by lines; all bounded by {@code tokenizer}'s tokens. {@code onSyntaxFallback}
   * is told of each file that the syntax chunker handed to the line chunker (it did not parse).
   */
  public static Chunker of(
      ChunkerKind kind, Tokenizer tokenizer, ChunkingPolicy policy, Runnable onSyntaxFallback) {
    Chunker markdown = new MarkdownSectionChunker(tokenizer, policy);
    Chunker lines =
        kind == ChunkerKind.SYNTAX
            ? new SyntaxChunker(tokenizer, policy, onSyntaxFallback)
            : new LineChunker(tokenizer, policy);
    return new Chunker() {
      @Override
      public List<Chunk> chunk(String path, ExtractedDocument document) {
        return "markdown".equals(document.language())
            ? markdown.chunk(path, document)
            : lines.chunk(path, document);
      }
    };
  }
}
