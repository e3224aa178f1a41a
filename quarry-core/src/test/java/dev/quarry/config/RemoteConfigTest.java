package dev.quarry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.embed.EmbedderSpec;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code embedder} settings: parsed once, checked with the model they go with. */
class RemoteConfigTest {

  @Test
  void embedderIsLocalByDefaultAndOpenAiUrlFromTheEnvironmentWithItsOwnSettings() {
    assertThat(QuarryConfig.defaults().embedder()).isEqualTo(new EmbedderSpec.Local());
    QuarryConfig config =
        QuarryConfig.defaults()
            .withEnvironment(
                Map.of(
                    "QUARRY_EMBEDDER", "openai:http://127.0.0.1:8080/v1",
                    "QUARRY_EMBEDDER_CONCURRENCY", "8",
                    "QUARRY_MODEL", "text-embedding-3-small"));
    assertThat(config.embedder())
        .isEqualTo(new EmbedderSpec.OpenAi(URI.create("http://127.0.0.1:8080/v1"), 8, 512));
    assertThat(config.model()).isEqualTo("text-embedding-3-small");
    assertThat(config.display(Setting.EMBEDDER)).isEqualTo("openai:http://127.0.0.1:8080/v1");
    assertThat(config.source(Setting.EMBEDDER)).isEqualTo("environment QUARRY_EMBEDDER");
  }

  @Test
  void badEmbeddersAreRejectedListingTheForms() {
    assertThatThrownBy(
            () -> QuarryConfig.defaults().with(Setting.EMBEDDER, "cohere:x", "--embedder"))
        .hasMessageContaining(
            "--embedder: embedder: unknown embedder 'cohere:x'; use one of: local, openai:URL");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults()
                    .with(Setting.EMBEDDER, "openai:ftp://host/v1", "--embedder"))
        .hasMessageContaining("must be an http or https URL");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults()
                    .with(Setting.EMBEDDER_MAX_TOKENS, "4", "--embedder-max-tokens"))
        .hasMessageContaining("less than 8 tokens");
  }

  @Test
  void aModelNameUnknownLocallyIsAcceptedOnlyWithARemoteEmbedder() {
    assertThatThrownBy(
            () -> QuarryConfig.defaults().with(Setting.MODEL, "text-embedding-3-small", "--model"))
        .hasMessageContaining("unknown embedding model");
    QuarryConfig remote =
        QuarryConfig.defaults()
            .with(Setting.EMBEDDER, "openai:http://localhost:1/v1", "--embedder")
            .with(Setting.MODEL, "text-embedding-3-small", "--model");
    assertThatThrownBy(() -> remote.with(Setting.EMBEDDER, "local", "--embedder"))
        .hasMessageContaining(
            "the local embedder has no model 'text-embedding-3-small' (set by --model)");
  }
}
