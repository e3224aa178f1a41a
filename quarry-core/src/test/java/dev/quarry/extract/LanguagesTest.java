package dev.quarry.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "src/Main.java, java",
    "app/build.gradle.kts, kotlin",
    "a/B.kt, kotlin",
    "x.scala, scala",
    "tools/run.py, python",
    "web/app.js, javascript",
    "web/app.mjs, javascript",
    "web/app.ts, typescript",
    "web/App.tsx, tsx",
    "web/App.jsx, jsx",
    "cmd/main.go, go",
    "src/lib.rs, rust",
    "src/x.c, c",
    "include/x.h, c",
    "src/x.cpp, cpp",
    "src/x.cc, cpp",
    "src/x.cxx, cpp",
    "include/x.hpp, cpp",
    "include/x.hh, cpp",
    "Program.cs, csharp",
    "lib/x.rb, ruby",
    "index.php, php",
    "App.swift, swift",
    "bin/build.sh, shell",
    "x.bash, shell",
    "x.zsh, shell",
    "home/.bashrc, shell",
    "db/schema.sql, sql",
    "site/index.html, html",
    "site/index.htm, html",
    "site/style.css, css",
    "pom.xml, xml",
    "package.json, json",
    "ci.yaml, yaml",
    ".github/workflows/ci.yml, yaml",
    "Cargo.toml, toml",
    "README.md, markdown",
    "docs/guide.markdown, markdown",
    "docs/index.rst, rst",
    "papers/paper.pdf, pdf",
    "notes.txt, text",
    "Dockerfile, dockerfile",
    "docker/Dockerfile.dev, dockerfile",
    "Makefile, makefile",
    "sub/GNUmakefile, makefile",
    "rules.mk, makefile",
    "lib/plug/conn.ex, elixir",
    "test/conn_test.exs, elixir",
    "src/XMonad/Core.hs, haskell",
    "lua/lazy/init.lua, lua",
    "clap.zig, zig",
    "R/model.R, r",
    "lib/app.dart, dart",
    "build.gradle, groovy",
    "Jenkinsfile, groovy",
    "CMakeLists.txt, cmake",
    "api/service.proto, protobuf",
    "infra/main.tf, terraform",
    "pkgs/BUILD.bazel, starlark",
    "scripts/build, text",
    "Vagrantfile, ruby",
    "LICENSE, text",
    ".gitignore, text",
    "data.unknownext, text",
    "archive.tar.gz, text",
    "trailing.dot., text",
  })
  void mapsPathsToLanguages(String path, String language) {
    assertThat(Languages.forPath(path)).isEqualTo(language);
  }

  @Test
  void namesAndExtensionsAreCaseInsensitive() {
    assertThat(Languages.forPath("README.MD")).isEqualTo("markdown");
    assertThat(Languages.forPath("Scan.PDF")).isEqualTo("pdf");
    assertThat(Languages.forPath("makefile")).isEqualTo("makefile");
    assertThat(Languages.forPath("DOCKERFILE")).isEqualTo("dockerfile");
  }

  @Test
  void onlyTheLastPathSegmentCounts() {
    assertThat(Languages.forPath("Makefile.d/notes")).isEqualTo("text");
    assertThat(Languages.forPath("src.java/README")).isEqualTo("text");
  }

  @Test
  void codeIsChunkedByLinesProseIsNot() {
    assertThat(Languages.isCode("java")).isTrue();
    assertThat(Languages.isCode("cpp")).isTrue();
    assertThat(Languages.isCode("yaml")).isTrue();
    assertThat(Languages.isCode("dockerfile")).isTrue();
    assertThat(Languages.isCode("elixir")).isTrue();
    assertThat(Languages.isCode("haskell")).isTrue();
    assertThat(Languages.isCode("markdown")).isFalse();
    assertThat(Languages.isCode("rst")).isFalse();
    assertThat(Languages.isCode("pdf")).isFalse();
    assertThat(Languages.isCode("text")).isFalse();
    assertThat(Languages.isCode("klingon")).isFalse();
  }

  @Test
  void namesListsEveryLanguageInOrder() {
    assertThat(List.copyOf(Languages.names()))
        .contains("java", "cpp", "csharp", "shell", "markdown", "pdf", "text", "makefile")
        .isSorted()
        .allSatisfy(name -> assertThat(name).isLowerCase());
  }
}
