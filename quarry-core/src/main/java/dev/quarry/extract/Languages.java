package dev.quarry.extract;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The language (or format) of a file, from its name alone: by well-known file name first ({@code
 * Dockerfile}, {@code Makefile}, {@code .bashrc}, ...), then by extension. Names and extensions are
 * compared case-insensitively, so {@code README.MD} is Markdown. Anything not recognised is {@value
 * #TEXT}.
 *
 * <p>Language names are lower-case and stable: they are stored in the index and used by path /
 * language filters. Stateless and thread-safe.
 */
public final class Languages {

  /** Plain text, and every file whose name is not recognised. */
  public static final String TEXT = "text";

  /** Markdown ({@code .md}, {@code .markdown}). */
  public static final String MARKDOWN = "markdown";

  /** PDF ({@code .pdf}), extracted page by page. */
  public static final String PDF = "pdf";

  /**
   * Formats read as running prose, chunked by size (or by heading) rather than aligned to lines.
   * Every other language is code or line-oriented data (JSON, YAML, ...).
   */
  private static final Set<String> PROSE = Set.of(TEXT, MARKDOWN, "rst", PDF);

  /** Lower-case extension (without the dot) to language. */
  private static final Map<String, String> BY_EXTENSION = byExtension();

  /** Lower-case whole file name to language; wins over the extension. */
  private static final Map<String, String> BY_FILE_NAME = byFileName();

  private static final SortedSet<String> NAMES = allNames();

  private Languages() {}

  /**
   * The language of the file at {@code relativePath} ('/'-separated; only the last segment is
   * looked at), or {@value #TEXT} when neither its name nor its extension is known.
   */
  public static String forPath(String relativePath) {
    String fileName = relativePath.substring(relativePath.lastIndexOf('/') + 1);
    String lowerName = fileName.toLowerCase(Locale.ROOT);
    String byName = BY_FILE_NAME.get(lowerName);
    if (byName != null) {
      return byName;
    }
    // "Dockerfile.dev", "Dockerfile.prod": variants named by suffix are common.
    if (lowerName.startsWith("dockerfile.") || lowerName.startsWith("containerfile.")) {
      return "dockerfile";
    }
    int dot = lowerName.lastIndexOf('.');
    // A leading dot marks a hidden file (".gitignore"), not an extension.
    if (dot <= 0) {
      return TEXT;
    }
    return BY_EXTENSION.getOrDefault(lowerName.substring(dot + 1), TEXT);
  }

  /**
   * Whether {@code language} is code or line-oriented data, to be chunked along line boundaries;
   * false for prose ({@value #TEXT}, {@value #MARKDOWN}, rst, {@value #PDF}) and for names this
   * class does not know.
   */
  public static boolean isCode(String language) {
    return NAMES.contains(language) && !PROSE.contains(language);
  }

  /** Every language name {@link #forPath} can return, sorted (to validate and list filters). */
  public static SortedSet<String> names() {
    return NAMES;
  }

  private static Map<String, String> byExtension() {
    Map<String, String> map = new HashMap<>();
    put(map, "java", "java");
    put(map, "kotlin", "kt", "kts");
    put(map, "scala", "scala", "sc");
    put(map, "python", "py", "pyi", "pyw");
    put(map, "javascript", "js", "mjs", "cjs");
    put(map, "typescript", "ts", "mts", "cts");
    put(map, "tsx", "tsx");
    put(map, "jsx", "jsx");
    put(map, "go", "go");
    put(map, "rust", "rs");
    // .h is ambiguous between C and C++; C is the common denominator and both chunk alike.
    put(map, "c", "c", "h");
    put(map, "cpp", "cpp", "cc", "cxx", "c++", "hpp", "hh", "hxx", "h++");
    put(map, "csharp", "cs");
    put(map, "ruby", "rb");
    put(map, "php", "php");
    put(map, "swift", "swift");
    put(map, "shell", "sh", "bash", "zsh");
    put(map, "sql", "sql");
    put(map, "html", "html", "htm", "xhtml");
    put(map, "css", "css");
    put(map, "xml", "xml", "xsd", "xsl", "xslt");
    put(map, "json", "json");
    put(map, "yaml", "yaml", "yml");
    put(map, "toml", "toml");
    put(map, "dockerfile", "dockerfile");
    put(map, "makefile", "mk");
    put(map, "cmake", "cmake");
    // Languages without a grammar in Quarry: chunked by lines, filtered and ranked as code.
    put(map, "elixir", "ex", "exs");
    put(map, "erlang", "erl", "hrl");
    put(map, "haskell", "hs", "lhs");
    put(map, "lua", "lua");
    put(map, "zig", "zig");
    put(map, "perl", "pl", "pm");
    put(map, "r", "r");
    put(map, "dart", "dart");
    put(map, "julia", "jl");
    put(map, "ocaml", "ml", "mli");
    put(map, "fsharp", "fs", "fsi", "fsx");
    put(map, "clojure", "clj", "cljs", "cljc");
    put(map, "groovy", "groovy", "gradle");
    put(map, "elm", "elm");
    put(map, "nim", "nim");
    put(map, "crystal", "cr");
    put(map, "vue", "vue");
    put(map, "svelte", "svelte");
    put(map, "powershell", "ps1", "psm1");
    put(map, "batch", "bat", "cmd");
    put(map, "protobuf", "proto");
    put(map, "graphql", "graphql", "gql");
    put(map, "terraform", "tf", "hcl");
    put(map, "nix", "nix");
    put(map, "solidity", "sol");
    put(map, "cuda", "cu", "cuh");
    put(map, "fortran", "f90", "f95", "f03");
    put(map, "vim", "vim");
    put(map, "elisp", "el");
    put(map, "scheme", "scm", "ss", "rkt");
    put(map, "lisp", "lisp");
    put(map, "starlark", "bzl", "star");
    put(map, "scss", "scss", "sass", "less");
    put(map, MARKDOWN, "md", "markdown");
    put(map, "rst", "rst");
    put(map, PDF, "pdf");
    put(map, TEXT, "txt");
    return Map.copyOf(map);
  }

  private static Map<String, String> byFileName() {
    Map<String, String> map = new HashMap<>();
    put(map, "dockerfile", "Dockerfile", "Containerfile");
    put(map, "makefile", "Makefile", "GNUmakefile");
    put(map, "shell", ".bashrc", ".bash_profile", ".profile", ".zshrc", ".zprofile");
    put(map, "ruby", "Gemfile", "Rakefile", "Vagrantfile");
    put(map, "groovy", "Jenkinsfile");
    put(map, "cmake", "CMakeLists.txt");
    put(map, "starlark", "BUILD.bazel", "WORKSPACE.bazel");
    return Map.copyOf(map);
  }

  private static SortedSet<String> allNames() {
    SortedSet<String> names = new TreeSet<>(BY_EXTENSION.values());
    names.addAll(BY_FILE_NAME.values());
    return Collections.unmodifiableSortedSet(names);
  }

  private static void put(Map<String, String> map, String language, String... keys) {
    for (String key : keys) {
      if (map.put(key.toLowerCase(Locale.ROOT), language) != null) {
        throw new IllegalStateException("listed twice: " + key);
      }
    }
  }
}
