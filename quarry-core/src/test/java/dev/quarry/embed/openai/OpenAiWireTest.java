package dev.quarry.embed.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quarry.json.QuarryJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire records write OpenAI's keys and read what providers send, strictly. */
class OpenAiWireTest {
  private static String json(Object value) {
    return new String(OpenAiWire.write(value), StandardCharsets.UTF_8);
  }

  private static <T> T read(String body, Class<T> type) throws WireFormatException {
    return OpenAiWire.read(body.getBytes(StandardCharsets.UTF_8), type);
  }

  @Test
  void recordsWriteOpenAisKeys() throws Exception {
    assertThat(json(EmbeddingsRequest.of("m", List.of("a", "b"))))
        .isEqualTo("{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\"}");
    assertThat(json(EmbeddingsResponse.of("m", List.of(new float[] {0.5f, -1f}), 3)))
        .isEqualTo(
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-1.0]}],"
                + "\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}");
    assertThat(json(ErrorResponse.of(404, "model_not_found", "no")))
        .isEqualTo(
            "{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}");
    ModelList.QuarryIdentity identity =
        new ModelList.QuarryIdentity("m@1", "m", "1", 384, 256, "mean", true);
    assertThat(
            QuarryJson.MAPPER.readTree(
                json(
                    ModelList.of(
                        List.of(new ModelList.Model("m", "model", 0L, "quarry", identity))))))
        .isEqualTo(
            QuarryJson.MAPPER.readTree(
                "{\"object\":\"list\",\"data\":[{\"id\":\"m\","
                    + "\"object\":\"model\",\"created\":0,\"owned_by\":\"quarry\",\"quarry\":{\"id\":\"m@1\",\"name\":\"m\","
                    + "\"version\":\"1\",\"dimensions\":384,\"max_tokens\":256,\"pooling\":\"mean\",\"normalized\":true}}]}"));
  }

  @Test
  void aProvidersAnswerReadsWithItsExtraFieldsAndAModelListWithoutQuarrysIdentity()
      throws Exception {
    EmbeddingsResponse answer =
        read(
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,"
                + "\"embedding\":[1,2.5]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":2},"
                + "\"system_fingerprint\":\"x\"}",
            EmbeddingsResponse.class);
    assertThat(answer.data())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.embedding()).containsExactly(1f, 2.5f);
            });
    assertThat(answer.usage().totalTokens()).isNull();
    ModelList models =
        read(
            "{\"object\":\"list\",\"data\":[{\"id\":\"gpt\",\"object\":\"model\",\"created\":1,"
                + "\"owned_by\":\"openai\"}]}",
            ModelList.class);
    assertThat(models.data()).singleElement().satisfies(m -> assertThat(m.quarry()).isNull());
    assertThat(read("{\"input\":\"one\"}", EmbeddingsRequest.class).texts()).containsExactly("one");
  }

  @Test
  void valuesOfTheWrongTypeAreRefusedWithTheirPath() {
    record Case(String body, Class<?> type, String message) {}
    for (Case c :
        List.of(
            new Case(
                "{\"data\":[{\"index\":0,\"embedding\":[1,null]}]}",
                EmbeddingsResponse.class,
                "'data[0].embedding[1]' is not a number"),
            new Case(
                "{\"data\":[{\"index\":0,\"embedding\":[1,\"2\"]}]}",
                EmbeddingsResponse.class,
                "'data[0].embedding[1]' is not a number"),
            new Case(
                "{\"data\":[{\"index\":0.5,\"embedding\":[1]}]}",
                EmbeddingsResponse.class,
                "'data[0].index' is not an integer"),
            new Case(
                "{\"input\":\"a\",\"model\":5}",
                EmbeddingsRequest.class,
                "'model' is not a string"),
            new Case("[1,2]", EmbeddingsRequest.class, "the body must be a JSON object"),
            new Case(
                "{\"data\":[{\"index\":0,\"embedding\":[1,",
                EmbeddingsResponse.class,
                "not valid JSON"))) {
      assertThat(catchThrowable(() -> read(c.body(), c.type())))
          .as(c.body())
          .isInstanceOf(WireFormatException.class)
          .hasMessageContaining(c.message());
    }
  }
}
