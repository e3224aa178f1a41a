package dev.quarry.bench.jmh;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModels;
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
 * WordPiece token counting, the chunkers' measure of size. {@code WordPieceTokenizer} is
 * package-private in dev.quarry.embed: it is reached through the narrowest public entry point,
 * {@link EmbeddingModels#tokenizerOf} (the same instance chunking uses, no model loaded).
 *
 * <p>Two shapes of input: a whole file in one call, and the same file line by line (the chunkers
 * count lines as they pack them into chunks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class TokenCountBenchmark {
  @Param({"java", "markdown"})
  public String input;

  private Tokenizer tokenizer;
  private String text;
  private List<String> lines;

  @Setup
  public void setUp() {
    tokenizer = EmbeddingModels.tokenizerOf(EmbeddingModels.DEFAULT);
    text = input.equals("java") ? Samples.javaSource() : Samples.markdown();
    lines = text.lines().toList();
  }

  @Benchmark
  public int countWholeFile() {
    return tokenizer.countTokens(text);
  }

  @Benchmark
  public int countLineByLine() {
    int sum = 0;
    for (String line : lines) {
      sum += tokenizer.countTokens(line);
    }
    return sum;
  }

  /** Token boundaries (what the chunkers use to cut an over-long line), whole file. */
  @Benchmark
  public int tokenSpansWholeFile() {
    return tokenizer.tokenize(text).count();
  }
}
