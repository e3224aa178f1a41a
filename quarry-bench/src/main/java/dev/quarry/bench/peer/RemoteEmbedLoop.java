package dev.quarry.bench.peer;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.remote.ApiKey;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.embed.remote.RemoteOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver of bench/remote-embed.sh: embeds the same texts (one per line of a file) in calls of
 * BATCH texts, as the indexing pipeline calls its model, through a remote endpoint at each
 * concurrency and in-process (the peer), alternating, RUNS times. Prints one line per measurement:
 * "TOOL texts seconds".
 *
 * <p>Usage: java -cp ... dev.quarry.bench.peer.RemoteEmbedLoop URL TEXTS_FILE RUNS BATCH THREADS
 * CONCURRENCY...
 */
public class RemoteEmbedLoop {
  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    List<String> texts = Files.readAllLines(Path.of(args[1]));
    int runs = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    List<Integer> concurrencies = new ArrayList<>();
    for (int i = 5; i < args.length; i++) {
      concurrencies.add(Integer.parseInt(args[i]));
    }
    try (EmbeddingModel local = EmbeddingModels.load(EmbeddingModels.DEFAULT, threads)) {
      List<RemoteEmbeddingModel> remotes = new ArrayList<>();
      for (int c : concurrencies) {
        remotes.add(
            RemoteEmbeddingModel.open(
                RemoteOptions.of(url, EmbeddingModels.DEFAULT, ApiKey.none(), 512)
                    .withConcurrency(c)));
      }
      // Warm-up: JIT, ONNX Runtime's arena and the connection pools, not measured.
      List<String> warm = texts.subList(0, Math.min(texts.size(), batch));
      local.embed(warm);
      for (RemoteEmbeddingModel remote : remotes) {
        remote.embed(warm);
      }
      for (int r = 0; r < runs; r++) {
        System.out.println("in-process " + texts.size() + " " + time(local, texts, batch));
        for (int i = 0; i < remotes.size(); i++) {
          System.out.println(
              "remote-c"
                  + concurrencies.get(i)
                  + " "
                  + texts.size()
                  + " "
                  + time(remotes.get(i), texts, batch));
        }
        System.out.flush();
      }
      remotes.forEach(RemoteEmbeddingModel::close);
    }
  }

  private static double time(EmbeddingModel model, List<String> texts, int batch) {
    long started = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      List<float[]> vectors =
          model.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
      if (vectors.size() != Math.min(batch, texts.size() - from)) {
        throw new IllegalStateException("wrong count");
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }
}
