package dev.quarry.extract;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The language or format of a file, from its name: what chunkers branch on, what {@code --lang}
 * filters by. Unknown extensions are "text".
 */
public final class Languages {
  public static final String TEXT = "text";
  public static final String MARKDOWN = "markdown";
  public static final String PDF = "pdf";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("java", "java"), Map.entry("kt", "kotlin"), Map.entry("kts", "kotlin"),
      Map.entry("scala", "scala"), Map.entry("groovy", "groovy"), Map.entry("clj", "clojure"),
      Map.entry("py", "python"), Map.entry("pyi", "python"),
      Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("cjs", "javascript"),
      Map.entry("jsx", "jsx"), Map.entry("ts", "typescript"), Map.entry("mts", "typescript"),
      Map.entry("tsx", "tsx"), Map.entry("go", "go"), Map.entry("rs", "rust"),
      Map.entry("c", "c"), Map.entry("h", "c"),
      Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"), Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"),
      Map.entry("hh", "cpp"), Map.entry("hxx", "cpp"), Map.entry("cs", "csharp"), Map.entry("rb", "ruby"),
      Map.entry("php", "php"), Map.entry("swift", "swift"), Map.entry("m", "objc"), Map.entry("lua", "lua"),
      Map.entry("pl", "perl"), Map.entry("r", "r"), Map.entry("dart", "dart"), Map.entry("ex", "elixir"),
      Map.entry("exs", "elixir"), Map.entry("erl", "erlang"), Map.entry("hs", "haskell"), Map.entry("ml", "ocaml"),
      Map.entry("sh", "shell"), Map.entry("bash", "shell"), Map.entry("zsh", "shell"), Map.entry("fish", "shell"),
      Map.entry("ps1", "powershell"), Map.entry("sql", "sql"),
      Map.entry("html", "html"), Map.entry("htm", "html"), Map.entry("css", "css"), Map.entry("scss", "css"),
      Map.entry("xml", "xml"), Map.entry("json", "json"), Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"),
      Map.entry("toml", "toml"), Map.entry("ini", "ini"), Map.entry("proto", "protobuf"),
      Map.entry("gradle", "groovy"), Map.entry("tf", "terraform"),
      Map.entry("md", MARKDOWN), Map.entry("markdown", MARKDOWN), Map.entry("mdx", MARKDOWN),
      Map.entry("rst", "rst"), Map.entry("adoc", "asciidoc"), Map.entry("tex", "latex"),
      Map.entry("txt", TEXT), Map.entry("pdf", PDF));

  private static final Map<String, String> BY_NAME = Map.of(
      "dockerfile", "dockerfile", "makefile", "makefile", "gnumakefile", "makefile",
      "cmakelists.txt", "cmake", "jenkinsfile", "groovy", "rakefile", "ruby", "gemfile", "ruby");

  private static final Set<String> PROSE = Set.of(TEXT, MARKDOWN, PDF, "rst", "asciidoc", "latex");

  private Languages() {}

  /** The language of a '/'-separated path. */
  public static String of(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String byName = BY_NAME.get(name);
    if (byName != null) {
      return byName;
    }
    int dot = name.lastIndexOf('.');
    if (dot <= 0 || dot == name.length() - 1) {
      return TEXT;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1), TEXT);
  }

  /** Whether the language is source code (as opposed to prose formats). */
  public static boolean isCode(String language) {
    return !PROSE.contains(language);
  }
}
