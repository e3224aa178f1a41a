package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.index.QuarryIndex;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.scan.ScanOptions;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexStats;
import dev.quarry.store.IndexStore;
import dev.quarry.store.ManifestVisitor;
import dev.quarry.store.RemoteStore;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoredFile;
import dev.quarry.store.WriterLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that refuses a file's documents (as SolrCloud refuses one it cannot take) fails that
 * file, not the run: the run's counts and outcomes say so, the others are indexed, and the next run
 * indexes the refused file. The store here is a real embedded index behind a remote store's seam
 * that refuses the files it is told to (fault injection, as a full disk is injected elsewhere).
 */
class RejectedFileRunTest {
  @TempDir Path tmp;

  @Test
  void aRefusedFileIsCountedFailedAndTheNextRunIndexesIt() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(root.resolve("a.md"), "# A\n\nalpha text\n");
    Files.writeString(root.resolve("b.md"), "# B\n\nbravo text\n");
    Files.writeString(root.resolve("c.md"), "# C\n\ncharlie text\n");
    IndexOptions options =
        IndexOptions.of(
            List.of(root.toRealPath()),
            tmp.resolve("unused"),
            ScanOptions.defaults(),
            false,
            Quarry.DEFAULT_MODEL);
    Refusing store = new Refusing(tmp.resolve("index"), "b.md");
    List<FileOutcome> outcomes = new ArrayList<>();
    RunSummary first =
        Quarry.run(options)
            .into(store)
            .listener(
                new RunListener() {
                  @Override
                  public void onOutcome(FileOutcome outcome) {
                    outcomes.add(outcome);
                  }
                })
            .index();
    assertThat(first.filesIndexed()).isEqualTo(2);
    assertThat(first.filesFailed()).isEqualTo(1);
    assertThat(first.failures()).hasSize(1);
    assertThat(first.failures().get(0).path()).isEqualTo("b.md");
    assertThat(first.failures().get(0).cause())
        .isEqualTo("the store refused it: a document it cannot take");
    assertThat(outcomes).contains(first.failures().get(0));
    assertThat(Quarry.status(tmp.resolve("index")).files()).isEqualTo(2);

    store.refused = null; // the cause is gone: the next run indexes the file
    RunSummary second = Quarry.run(options).into(store).index();
    assertThat(second.filesIndexed()).isEqualTo(1);
    assertThat(second.filesUnchanged()).isEqualTo(2);
    assertThat(second.filesFailed()).isZero();
    assertThat(Quarry.status(tmp.resolve("index")).files()).isEqualTo(3);
  }

  /** An embedded index behind the remote seam, refusing the documents of one file. */
  private static final class Refusing implements RemoteStore {
    private final Path dir;
    volatile String refused;

    Refusing(Path dir, String refused) {
      this.dir = dir;
      this.refused = refused;
    }

    @Override
    public String location() {
      return "refusing:" + dir;
    }

    @Override
    public boolean exists() {
      return QuarryIndex.exists(dir);
    }

    @Override
    public IndexStore openForWriting(List<Path> roots, String kind, ModelIdentity model)
        throws IOException {
      return new RefusingWriter(QuarryIndex.openForWriting(dir), refused);
    }

    @Override
    public IndexStore openForReading() throws IOException {
      return QuarryIndex.openForReading(dir);
    }

    @Override
    public long forEachStoredFile(StoredFile.Visitor visitor) {
      throw new UnsupportedOperationException("not part of this test");
    }

    @Override
    public void removeFiles(Map<String, List<String>> filesByRoot) {
      throw new UnsupportedOperationException("not part of this test");
    }

    @Override
    public Optional<IndexLock.Holder> liveWriter() {
      return Optional.empty();
    }

    @Override
    public Optional<IndexLock.Holder> deadWriter() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }

  /** Writes through to the index, but for the refused file's documents, which it reports. */
  private static final class RefusingWriter implements IndexStore {
    private final QuarryIndex index;
    private final String refused;
    private final List<RejectedFile> rejected = new ArrayList<>();

    RefusingWriter(QuarryIndex index, String refused) {
      this.index = index;
      this.refused = refused;
    }

    @Override
    public void writeFile(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean newToStore)
        throws IOException {
      if (entry.path().equals(refused)) {
        rejected.add(new RejectedFile(entry.file(), entry.path(), "a document it cannot take"));
        return;
      }
      index.writeFile(entry, chunks, newToStore);
    }

    @Override
    public List<RejectedFile> takeRejectedFiles() {
      List<RejectedFile> taken = List.copyOf(rejected);
      rejected.clear();
      return taken;
    }

    @Override
    public String location() {
      return index.location();
    }

    @Override
    public Map<String, String> commitData() throws IOException {
      return index.commitData();
    }

    @Override
    public ManifestSnapshot manifestSnapshot() throws IOException {
      return index.manifestSnapshot();
    }

    @Override
    public Optional<float[]> storedVector(String chunkHash) throws IOException {
      return index.storedVector(chunkHash);
    }

    @Override
    public long forEachFile(ManifestVisitor visitor) throws IOException {
      return index.forEachFile(visitor);
    }

    @Override
    public void updateManifest(ManifestEntry entry) throws IOException {
      index.updateManifest(entry);
    }

    @Override
    public void deleteFile(String file) throws IOException {
      index.deleteFile(file);
    }

    @Override
    public void commit(Map<String, String> commitData) throws IOException {
      index.commit(commitData);
    }

    @Override
    public boolean hasUncommittedChanges() {
      return index.hasUncommittedChanges() || !rejected.isEmpty();
    }

    @Override
    public Throwable writeFailure() {
      return index.writeFailure();
    }

    @Override
    public IndexStats stats() throws IOException {
      return index.stats();
    }

    @Override
    public WriterLock lock() {
      return index.lock();
    }

    @Override
    public StoreView view() throws IOException {
      return index.view();
    }

    @Override
    public void close() throws IOException {
      index.close();
    }
  }
}
