package dev.quarry.chunk;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterCSharp;
import org.treesitter.TreeSitterCpp;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterKotlin;
import org.treesitter.TreeSitterPhp;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterRuby;
import org.treesitter.TreeSitterRust;
import org.treesitter.TreeSitterTypescript;

/**
 * The tree-sitter grammars {@link SyntaxChunker} knows, by Quarry language name (see {@code
 * dev.quarry.extract.Languages}), with the node types that are definitions in each: the units a
 * chunk starts at, and whose bodies a too-large chunk is split into. A grammar is loaded (its
 * native library extracted and linked) on first use only; one that fails to load is remembered as
 * missing, so a broken grammar costs one attempt per process, not one per file. Thread-safe.
 */
final class SyntaxGrammars {

  /** A loaded grammar and its definition node types. */
  record Grammar(String language, TSLanguage tsLanguage, Set<String> definitions) {
    boolean isDefinition(String nodeType) {
      return definitions.contains(nodeType);
    }
  }

  private record Entry(Supplier<TSLanguage> loader, Set<String> definitions) {}

  private static final Set<String> JS_DEFINITIONS =
      Set.of(
          "function_declaration",
          "generator_function_declaration",
          "class_declaration",
          "class",
          "method_definition",
          "export_statement",
          "lexical_declaration");

  private static final Map<String, Entry> TABLE =
      Map.ofEntries(
          Map.entry(
              "java",
              new Entry(
                  TreeSitterJava::new,
                  Set.of(
                      "class_declaration",
                      "interface_declaration",
                      "enum_declaration",
                      "record_declaration",
                      "annotation_type_declaration",
                      "method_declaration",
                      "constructor_declaration",
                      "compact_constructor_declaration"))),
          Map.entry(
              "python",
              new Entry(
                  TreeSitterPython::new,
                  Set.of("function_definition", "class_definition", "decorated_definition"))),
          Map.entry("javascript", new Entry(TreeSitterJavascript::new, JS_DEFINITIONS)),
          Map.entry("jsx", new Entry(TreeSitterJavascript::new, JS_DEFINITIONS)),
          Map.entry(
              "typescript",
              new Entry(
                  TreeSitterTypescript::new,
                  union(
                      JS_DEFINITIONS,
                      Set.of(
                          "abstract_class_declaration",
                          "interface_declaration",
                          "enum_declaration",
                          "type_alias_declaration",
                          "internal_module",
                          "module",
                          "function_signature",
                          "method_signature",
                          "abstract_method_signature")))),
          Map.entry(
              "go",
              new Entry(
                  TreeSitterGo::new,
                  Set.of("function_declaration", "method_declaration", "type_declaration"))),
          Map.entry(
              "rust",
              new Entry(
                  TreeSitterRust::new,
                  Set.of(
                      "function_item",
                      "impl_item",
                      "trait_item",
                      "struct_item",
                      "enum_item",
                      "union_item",
                      "mod_item",
                      "macro_definition"))),
          Map.entry(
              "c",
              new Entry(
                  TreeSitterC::new,
                  Set.of(
                      "function_definition",
                      "struct_specifier",
                      "union_specifier",
                      "enum_specifier"))),
          Map.entry(
              "cpp",
              new Entry(
                  TreeSitterCpp::new,
                  Set.of(
                      "function_definition",
                      "class_specifier",
                      "struct_specifier",
                      "union_specifier",
                      "enum_specifier",
                      "namespace_definition",
                      "template_declaration"))),
          Map.entry(
              "csharp",
              new Entry(
                  TreeSitterCSharp::new,
                  Set.of(
                      "class_declaration",
                      "struct_declaration",
                      "interface_declaration",
                      "enum_declaration",
                      "record_declaration",
                      "method_declaration",
                      "constructor_declaration",
                      "property_declaration",
                      "namespace_declaration"))),
          Map.entry(
              "kotlin",
              new Entry(
                  TreeSitterKotlin::new,
                  Set.of(
                      "class_declaration",
                      "object_declaration",
                      "companion_object",
                      "function_declaration"))),
          Map.entry(
              "ruby",
              new Entry(
                  TreeSitterRuby::new, Set.of("method", "singleton_method", "class", "module"))),
          Map.entry(
              "php",
              new Entry(
                  TreeSitterPhp::new,
                  Set.of(
                      "function_definition",
                      "method_declaration",
                      "class_declaration",
                      "interface_declaration",
                      "trait_declaration",
                      "enum_declaration",
                      "namespace_definition"))));

  /** Loaded grammars; a language whose grammar failed to load maps to {@link #MISSING}. */
  private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();

  private static final Object MISSING = new Object();

  private SyntaxGrammars() {}

  /** The languages with a grammar, sorted. */
  static Set<String> languages() {
    return new java.util.TreeSet<>(TABLE.keySet());
  }

  /** Whether {@code language} has a grammar in the table (loaded or not). */
  static boolean supports(String language) {
    return TABLE.containsKey(language);
  }

  /**
   * The grammar of {@code language}, loading it on first use; null when the table has none or it
   * failed to load.
   */
  static Grammar forLanguage(String language) {
    Entry entry = TABLE.get(language);
    if (entry == null) {
      return null;
    }
    Object loaded =
        LOADED.computeIfAbsent(
            language,
            l -> {
              try {
                return new Grammar(l, entry.loader().get(), entry.definitions());
              } catch (RuntimeException | LinkageError e) {
                // No native library for this platform, or one that does not link: lines instead.
                return MISSING;
              }
            });
    return loaded instanceof Grammar g ? g : null;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
