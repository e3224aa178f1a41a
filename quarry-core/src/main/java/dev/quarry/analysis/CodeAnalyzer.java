package dev.quarry.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analyzer for chunk text, both code and prose: Unicode word boundaries, identifiers split at
 * camelCase, snake_case, dots and digits with the whole identifier kept as well ({@code
 * getUserName} indexes {@code getusernam}, {@code get}, {@code user}, {@code name}), lower case,
 * English stop words, Porter stemming (the BM25 setup of the BEIR baselines).
 *
 * <p>The same analyzer runs at index and query time. Thread-safe, like every Lucene analyzer.
 */
public final class CodeAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer tokenizer = new StandardTokenizer();
    TokenStream stream = new IdentifierSplitFilter(tokenizer);
    stream = new LowerCaseFilter(stream);
    stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    stream = new PorterStemFilter(stream);
    return new TokenStreamComponents(tokenizer, stream);
  }
}
