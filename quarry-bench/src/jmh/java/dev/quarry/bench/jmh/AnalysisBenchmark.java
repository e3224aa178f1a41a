package dev.quarry.bench.jmh;

import dev.quarry.analysis.CodeAnalyzer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Lucene analysis of a whole file with Quarry's analyzer ({@link CodeAnalyzer}: standard tokenizer,
 * identifier splitting, lower case, stop words, Porter stemming), as indexing runs it on every
 * chunk's text. The analyzer is reused across calls, as the index writer reuses it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class AnalysisBenchmark {
  @Param({"java", "markdown"})
  public String input;

  private String text;
  private Analyzer analyzer;

  @Setup
  public void setUp() {
    text = input.equals("java") ? Samples.javaSource() : Samples.markdown();
    analyzer = new CodeAnalyzer();
  }

  @TearDown
  public void tearDown() {
    analyzer.close();
  }

  /** Terms of the file: the count and a sum of their lengths, so nothing can be skipped. */
  @Benchmark
  public long analyzeFile() throws IOException {
    long sum = 0;
    try (TokenStream stream = analyzer.tokenStream("content", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        sum += 1 + term.length();
      }
      stream.end();
    }
    return sum;
  }
}
