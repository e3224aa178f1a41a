package dev.quarry.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.quarry.chunk.TokenSpans;
import dev.quarry.chunk.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The model's own HuggingFace tokenizer ({@code tokenizer.json}), loaded with truncation and
 * padding switched off: the file shipped in the model artifact pads and truncates at 128 tokens,
 * which would silently cut every chunk in half. Quarry truncates itself, at the model's real
 * window.
 */
final class HuggingFaceTokenizerAdapter implements Tokenizer, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  HuggingFaceTokenizerAdapter(InputStream tokenizerJson) throws IOException {
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            tokenizerJson,
            Map.of("padding", "false", "truncation", "false", "maxLength", "1000000"));
  }

  @Override
  public TokenSpans tokenize(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] starts = new int[spans.length];
    int[] ends = new int[spans.length];
    int length = text.length();
    for (int i = 0; i < spans.length; i++) {
      // Offsets are clamped: the native side counts Unicode scalars, Java counts UTF-16 units, so
      // texts with astral characters can report offsets past the end.
      starts[i] = Math.min(Math.max(spans[i].getStart(), 0), length);
      ends[i] = Math.min(Math.max(spans[i].getEnd(), starts[i]), length);
    }
    return TokenSpans.of(starts, ends);
  }

  /** Token ids with [CLS] ... [SEP], truncated to {@code maxTokens} keeping the final [SEP]. */
  long[][] encodeForModel(List<String> texts, int maxTokens) {
    Encoding[] encodings = tokenizer.batchEncode(texts, true, false);
    long[][] ids = new long[encodings.length][];
    for (int i = 0; i < encodings.length; i++) {
      long[] full = encodings[i].getIds();
      if (full.length > maxTokens) {
        long[] cut = java.util.Arrays.copyOf(full, maxTokens);
        cut[maxTokens - 1] = full[full.length - 1];
        full = cut;
      }
      ids[i] = full;
    }
    return ids;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
