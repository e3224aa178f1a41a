package dev.quarry.serve;

import dev.quarry.embed.EmbeddingModel;

/**
 * {@code quarry serve --embeddings}'s server ({@link EmbeddingServer}) holds the embeddings
 * contract.
 */
class RemoteServeTest extends EmbeddingContractTest {
  @Override
  protected Served serve(EmbeddingModel model, ServeOptions options) throws Exception {
    EmbeddingServer server = EmbeddingServer.start(model, options);
    return new Served() {
      @Override
      public java.net.URI v1() {
        return server.baseUri();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
