package dev.quarry.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts minilm-static's token rows are fitted on ({@link SentenceFit}): the teacher embeds each
 * whole, and the static model learns to give the same vector from its tokens alone. Everything
 * comes from Maven artifacts on the class path, never from an evaluation set:
 *
 * <ul>
 *   <li>general English: the example sentences of LanguageTool's English grammar rules (the correct
 *       ones, about 12,000: questions, statements, names, numbers);
 *   <li>technical English: Javadoc comments from the sources of commons-lang3, Guava, Lucene and
 *       commons-math3;
 *   <li>code: 20-line stretches of the same sources.
 * </ul>
 *
 * <p>Deterministic: files in name order, each kind shuffled by a fixed seed, then cut to its quota.
 * Each kind pays its way (BENCHMARKS.md, "minilm-static, recipe 2"): the sentences carry SciFact,
 * the Javadoc and code carry the code sets.
 */
final class DistillationCorpus {
  /** Javadoc comments taken (after the shuffle). */
  static final int JAVADOC_TEXTS = 5_000;

  /** Code stretches taken (after the shuffle). */
  static final int CODE_TEXTS = 2_000;

  /** Lines per code stretch. */
  private static final int CODE_LINES = 20;

  /** Words kept of a Javadoc comment: its opening says what the code does. */
  private static final int JAVADOC_WORDS = 120;

  private static final String GRAMMAR = "org/languagetool/rules/en/grammar.xml";

  /** One file of each sources jar, to find the jar by. */
  private static final List<String> SOURCES =
      List.of(
          "org/apache/commons/lang3/StringUtils.java",
          "com/google/common/collect/ImmutableList.java",
          "org/apache/lucene/index/IndexWriter.java",
          "org/apache/commons/math3/linear/RealMatrix.java");

  private static final Pattern EXAMPLE =
      Pattern.compile("<example([^>]*)>(.*?)</example>", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<[^>]+>");
  private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern LEADING_STAR = Pattern.compile("(?m)^\\s*\\*\\s?");
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@\\w+\\s+([^}]*)\\}");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern ENTITY =
      Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");

  private DistillationCorpus() {}

  /** The whole corpus: sentences, then Javadoc, then code. */
  static List<String> texts() {
    List<String> texts = new ArrayList<>(sentences());
    List<String> javadoc = new ArrayList<>();
    List<String> code = new ArrayList<>();
    for (String anchor : SOURCES) {
      readSources(anchor, javadoc, code);
    }
    texts.addAll(firstShuffled(javadoc, JAVADOC_TEXTS));
    texts.addAll(firstShuffled(code, CODE_TEXTS));
    return texts;
  }

  /** LanguageTool's correct English example sentences of four words or more, sorted, shuffled. */
  static List<String> sentences() {
    String grammar = new String(read(GRAMMAR), StandardCharsets.UTF_8);
    TreeSet<String> sentences = new TreeSet<>();
    Matcher example = EXAMPLE.matcher(grammar);
    while (example.find()) {
      String attributes = example.group(1);
      if (attributes.contains("correction") || attributes.contains("incorrect")) {
        continue; // a sentence with the error the rule finds
      }
      String text = oneLine(unescape(TAG.matcher(example.group(2)).replaceAll("")));
      if (words(text) >= 4) {
        sentences.add(text);
      }
    }
    return firstShuffled(new ArrayList<>(sentences), Integer.MAX_VALUE);
  }

  private static void readSources(String anchor, List<String> javadoc, List<String> code) {
    URL url = DistillationCorpus.class.getClassLoader().getResource(anchor);
    if (url == null) {
      throw new UncheckedIOException(
          new IOException(
              "resource " + anchor + " not on the class path (a sources jar is missing)"));
    }
    try {
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        List<JarEntry> files =
            jar.stream()
                .filter(e -> e.getName().endsWith(".java"))
                .sorted(java.util.Comparator.comparing(JarEntry::getName))
                .toList();
        for (JarEntry file : files) {
          try (InputStream in = jar.getInputStream(file)) {
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            addJavadoc(source, javadoc);
            addCode(source, code);
          }
        }
      }
    } catch (IOException | ClassCastException e) {
      throw new UncheckedIOException(
          new IOException("cannot read the sources jar holding " + anchor + ": " + e, e));
    }
  }

  private static void addJavadoc(String source, List<String> out) {
    Matcher comment = JAVADOC.matcher(source);
    while (comment.find()) {
      String text = LEADING_STAR.matcher(comment.group(1)).replaceAll("");
      text = INLINE_TAG.matcher(text).replaceAll("$1");
      text = oneLine(unescape(TAG.matcher(text).replaceAll("")));
      String[] words = text.split(" ");
      if (words.length >= 6) {
        out.add(String.join(" ", List.of(words).subList(0, Math.min(JAVADOC_WORDS, words.length))));
      }
    }
  }

  private static void addCode(String source, List<String> out) {
    List<String> lines = new ArrayList<>();
    for (String line : COMMENT.matcher(source).replaceAll("").split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith("import") && !line.startsWith("package")) {
        lines.add(line);
      }
    }
    for (int from = 0; from < lines.size(); from += CODE_LINES) {
      String stretch =
          String.join("\n", lines.subList(from, Math.min(lines.size(), from + CODE_LINES)));
      if (words(stretch) >= 10) {
        out.add(stretch);
      }
    }
  }

  private static List<String> firstShuffled(List<String> texts, int limit) {
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(42));
    return shuffled.subList(0, Math.min(limit, shuffled.size()));
  }

  private static byte[] read(String resource) {
    try (InputStream in = DistillationCorpus.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the distillation corpus", e);
    }
  }

  private static String oneLine(String text) {
    return SPACE.matcher(text).replaceAll(" ").strip();
  }

  private static int words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : SPACE.split(stripped).length;
  }

  /** XML's five named entities and numeric references. */
  private static String unescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher entity = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (entity.find()) {
      String name = entity.group(1);
      String replacement =
          switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default ->
                Character.toString(
                    name.startsWith("#x")
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1)));
          };
      entity.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    entity.appendTail(out);
    return out.toString();
  }
}
