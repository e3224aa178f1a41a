package dev.quarry.bench.peer;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * minilm-static against the default model in one JVM, on the same chunk inputs (those of an index,
 * as {@link EmbedLoop} reads them), same batch size, same threads: a bare loop over each model. The
 * static model runs {@code passes} timed passes after one untimed warm-up pass (it takes well under
 * a second per pass, so the JIT matters); the default model, about a minute per pass on 2 cores,
 * runs one timed pass after a warm-up of a few batches. Prints one line per pass, "model chunks
 * seconds chunks/s", then the ratio of the static model's median to the default's. Run by
 * bench/static-model.sh.
 */
public class StaticModelThroughput {
  public static void main(String[] args) throws Exception {
    Path indexDir = Path.of(args[0]);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int threads = Runtime.getRuntime().availableProcessors();
    List<String> inputs = EmbedLoop.chunkInputs(indexDir);
    double staticRate;
    try (EmbeddingModel model = EmbeddingModels.load(EmbeddingModels.STATIC, threads)) {
      pass(model, inputs, batch);
      List<Double> rates = new ArrayList<>();
      for (int p = 0; p < passes; p++) {
        rates.add(timed(model, inputs, batch));
      }
      rates.sort(null);
      staticRate = rates.get(rates.size() / 2);
    }
    double defaultRate;
    try (EmbeddingModel model = EmbeddingModels.load(EmbeddingModels.DEFAULT, threads)) {
      pass(model, inputs.subList(0, Math.min(inputs.size(), 4 * batch)), batch);
      defaultRate = timed(model, inputs, batch);
    }
    System.out.printf(
        "ratio %.1f (minilm-static median %.1f chunks/s / %s %.1f chunks/s)%n",
        staticRate / defaultRate, staticRate, EmbeddingModels.DEFAULT, defaultRate);
  }

  private static double timed(EmbeddingModel model, List<String> inputs, int batch) {
    long start = System.nanoTime();
    pass(model, inputs, batch);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = inputs.size() / seconds;
    System.out.printf("%s %d %.3f %.1f%n", model.identity().name(), inputs.size(), seconds, rate);
    return rate;
  }

  private static void pass(EmbeddingModel model, List<String> inputs, int batch) {
    for (int i = 0; i < inputs.size(); i += batch) {
      model.embed(inputs.subList(i, Math.min(inputs.size(), i + batch)));
    }
  }
}
