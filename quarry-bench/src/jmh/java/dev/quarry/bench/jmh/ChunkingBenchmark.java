package dev.quarry.bench.jmh;

import dev.quarry.chunk.Chunk;
import dev.quarry.chunk.Chunker;
import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.extract.ExtractedDocument;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Chunking one realistic file, as the pipeline does: a Java source file by lines ({@code
 * LineChunker}), a Markdown document by sections ({@code MarkdownSectionChunker}), both bounded by
 * the default model's tokens. The chunkers are package-private in dev.quarry.chunk: they are
 * reached through {@link Chunkers#standard}, which picks one by the document's language.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class ChunkingBenchmark {
  @Param({"java", "markdown"})
  public String input;

  private Chunker chunker;
  private ExtractedDocument document;
  private String path;

  @Setup
  public void setUp() {
    int window = EmbeddingModels.identityOf(EmbeddingModels.DEFAULT).maxTokens();
    chunker =
        Chunkers.standard(
            EmbeddingModels.tokenizerOf(EmbeddingModels.DEFAULT),
            ChunkingPolicy.forModelWindow(window));
    boolean java = input.equals("java");
    path = java ? "src/main/java/dev/quarry/index/QuarryIndex.java" : "BENCHMARKS.md";
    document =
        new ExtractedDocument(
            java ? Samples.javaSource() : Samples.markdown(),
            java ? "java" : "markdown",
            List.of(),
            "UTF-8",
            0);
  }

  @Benchmark
  public List<Chunk> chunkFile() {
    return chunker.chunk(path, document);
  }
}
