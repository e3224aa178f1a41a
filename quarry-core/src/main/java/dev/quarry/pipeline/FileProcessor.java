package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.chunk.Chunker;
import dev.quarry.extract.ExtractedDocument;
import dev.quarry.extract.Extraction;
import dev.quarry.extract.ExtractionException;
import dev.quarry.extract.Extractor;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.scan.RegularFileOpener;
import dev.quarry.scan.ScannedFile;
import dev.quarry.scan.SkipReason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Change detection, reading, extraction and chunking of one file: the part of the pipeline that
 * runs on many workers at once. Stateless and thread-safe; it never touches the index.
 */
final class FileProcessor {
  private final long maxFileSize;
  private final boolean embed;
  private final String modelId;
  private final String pipelineVersion;
  private final Extractor extractor;
  private final Chunker chunker;
  private final IndexRun.ContentReader reader;

  FileProcessor(
      long maxFileSize,
      boolean embed,
      String modelId,
      String pipelineVersion,
      Extractor extractor,
      Chunker chunker,
      IndexRun.ContentReader reader) {
    this.maxFileSize = maxFileSize;
    this.embed = embed;
    this.modelId = modelId;
    this.pipelineVersion = pipelineVersion;
    this.extractor = extractor;
    this.chunker = chunker;
    this.reader = reader;
  }

  /**
   * Decides what to do with {@code file}, given the manifest's entry of it in {@code slot} (-1:
   * none). The full entry is read from the index only when the stat says the file may have changed.
   */
  FileWork process(ScannedFile file, ManifestSnapshot manifest, int slot) {
    if (slot >= 0
        && manifest.unchanged(
            slot, file.size(), file.mtimeMillis(), pipelineVersion, embed ? modelId : null)) {
      return new FileWork.Unchanged(new FileOutcome.Unchanged(file.relativePath(), false), null);
    }
    // Outside the try below: failing to read the index is not the file's fault, it ends the run.
    ManifestEntry old = slot >= 0 ? manifest.entry(slot) : null;
    try {
      return processChecked(file, old);
    } catch (RuntimeException e) {
      // A bug in an extractor or chunker must not end the run: the file fails with the cause.
      return new FileWork.NotIndexed(
          new FileOutcome.Failed(file.relativePath(), "internal error: " + e),
          old == null ? null : old.file());
    } catch (OutOfMemoryError e) {
      // The last line of defence (FileMemory keeps files within the heap): what this file held is
      // garbage once this returns, so the file fails and the run goes on.
      return new FileWork.NotIndexed(
          new FileOutcome.Failed(
              file.relativePath(),
              "out of memory processing this file of "
                  + file.size()
                  + " bytes: lower max-file-size or raise QUARRY_HEAP"),
          old == null ? null : old.file());
    }
  }

  private FileWork processChecked(ScannedFile file, ManifestEntry old) {
    String path = file.relativePath();
    boolean upToDate =
        old != null
            && old.pipeline().equals(pipelineVersion)
            && (!embed || old.model().equals(modelId));
    byte[] content;
    try {
      content = reader.read(file, maxFileSize + 1);
    } catch (NoSuchFileException e) {
      if (old != null) {
        // Gone, as if the scan had not found it: its chunks go now, and it has that one outcome
        // (left to the deletion pass, it would get a second).
        return new FileWork.NotIndexed(new FileOutcome.Deleted(path), old.file());
      }
      return new FileWork.NotIndexed(
          new FileOutcome.Failed(path, "deleted while the run was reading the tree"), null);
    } catch (RegularFileOpener.NotRegularFileException e) {
      // Swapped for a FIFO, device or link since the scan: skipped as the scan would have.
      return new FileWork.NotIndexed(
          new FileOutcome.Skipped(path, SkipReason.SPECIAL_FILE), old == null ? null : old.file());
    } catch (AccessDeniedException e) {
      return new FileWork.NotIndexed(new FileOutcome.Failed(path, "permission denied"), null);
    } catch (IOException e) {
      return new FileWork.NotIndexed(
          new FileOutcome.Failed(path, "cannot read: " + e.getMessage()), null);
    }
    String staleFile = old == null ? null : old.file();
    if (content.length > maxFileSize) {
      return new FileWork.NotIndexed(
          new FileOutcome.Skipped(path, SkipReason.TOO_LARGE), staleFile);
    }
    String contentHash = sha256(content);
    if (upToDate && old.contentHash().equals(contentHash)) {
      return new FileWork.Unchanged(
          new FileOutcome.Unchanged(path, true),
          old.withStat(content.length, file.mtimeMillis(), file.fileKey()));
    }
    ExtractedDocument document;
    try {
      Extraction extraction = extractor.extract(path, content);
      if (extraction instanceof Extraction.Skip skip) {
        return new FileWork.NotIndexed(new FileOutcome.Skipped(path, skip.reason()), staleFile);
      }
      document = ((Extraction.Text) extraction).document();
    } catch (ExtractionException e) {
      return new FileWork.NotIndexed(new FileOutcome.Failed(path, e.getMessage()), staleFile);
    } catch (OutOfMemoryError e) {
      // A PDF of half a megabyte can hold content streams of gigabytes: no size cap helps here.
      return new FileWork.NotIndexed(
          new FileOutcome.Failed(
              path,
              "out of memory extracting its text: its content inflates far beyond its "
                  + content.length
                  + " bytes on disk"),
          staleFile);
    }
    long size = content.length;
    content = null; // the bytes are decoded: let a large file's go before it is chunked
    List<Chunk> chunks = chunker.chunk(path, document);
    ManifestEntry entry =
        new ManifestEntry(
            IndexRun.fileId(file),
            file.root().toString(),
            path,
            size,
            file.mtimeMillis(),
            file.fileKey(),
            contentHash,
            chunks.size(),
            document.language(),
            pipelineVersion,
            embed ? modelId : "");
    long textBytes = 2L * document.text().length() + 256L * chunks.size();
    return new FileWork.Chunked(entry, chunks, textBytes);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
