package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DefinitionsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Router|public final class Router implements Handler {",
        "Router|type Router struct {",
        "Handle|func (r *Router) Handle(path string) {",
        "parse_args|def parse_args(argv):",
        "parse_args|    async def parse_args(self):",
        "formatter|template <typename T> struct formatter<T> {",
        "new|    pub fn new() -> Self {",
        "SqlMapper|public static partial class SqlMapper",
        "basic_format_args|class basic_format_args {",
        "createServer|export function createServer(options) {",
        "createServer|const createServer = (options) => {",
        "createServer|  createServer: function (options) {",
        "curl_easy_init|CURL *curl_easy_init(void)",
        "Plug|defmodule Plug do",
        "Options|  data class Options(val verbose: Boolean)",
        "emit|sub emit {",
        "load|local function load(name)",
      })
  void findsDefinitionsInManyLanguages(String name, String line) {
    assertThat(Definitions.of(name).definedIn("// before\n" + line + "\n  body\n")).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Router|    r := NewRouter()",
        "Router|    var x = Router.default();",
        "Router|    // the Router is used here",
        "parse_args|    args = parse_args(sys.argv)",
        "Handle|    router.Handle(\"/\", h);",
        "Router|class RouterTest {",
      })
  void usesAreNotDefinitions(String name, String line) {
    assertThat(Definitions.of(name).definedIn(line + "\n")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"how to check if a variable is iterable", "where are errors handled"})
  void plainWordsOfASentenceAreNotNames(String query) {
    assertThat(Definitions.of(query).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"how bats_pipe chains commands", "where parseArgs reads flags"})
  void wordsThatLookLikeCodeAreNamesInASentence(String query) {
    assertThat(Definitions.of(query).isEmpty()).isFalse();
  }
}
