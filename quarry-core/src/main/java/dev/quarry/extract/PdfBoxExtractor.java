package dev.quarry.extract;

import dev.quarry.scan.SkipReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Extracts the text layer of a PDF with Apache PDFBox, page by page so that every page's first line
 * is known ({@link ExtractedDocument#pageStartLines()}). Each page starts on a new line and takes
 * at least one line, even when it holds no text, so page start lines strictly increase.
 *
 * <p>Outcomes: text; {@link SkipReason#NO_TEXT} when no page has any text (scanned images); {@link
 * ExtractionException} when the PDF is encrypted with a user password, forbids text extraction, is
 * truncated (no {@code %%EOF} marker at its end), or cannot be parsed. PDFBox may throw unchecked
 * exceptions on hostile input; those become {@code ExtractionException} too, so one bad file never
 * stops a run.
 *
 * <p>Stateless and thread-safe: each call loads its own document.
 */
final class PdfBoxExtractor implements Extractor {

  /**
   * Streams PDFBox decodes while extracting (content streams, fonts) are buffered in memory up to
   * this size per document, then in a temporary file, so that a decompression bomb or a few huge
   * pages cannot exhaust the heap of a run that extracts several PDFs at once.
   */
  static final long MAX_MEMORY_BYTES_PER_DOCUMENT = 16L << 20;

  /** Total buffer (memory plus temporary file) per document; beyond it the PDF is rejected. */
  static final long MAX_BUFFER_BYTES_PER_DOCUMENT = 1L << 30;

  /**
   * How far from each end the PDF markers are looked for. Acrobat accepts a header anywhere in the
   * first 1024 bytes and an end-of-file marker anywhere in the last 1024 (PDF Reference 1.7,
   * appendix H); PDFBox is more lenient still.
   */
  static final int MARKER_WINDOW_BYTES = 1024;

  private static final byte[] HEADER = ascii("%PDF-");
  private static final byte[] END_OF_FILE = ascii("%%EOF");

  /** Longest cause kept in a message: enough to recognise PDFBox's error, short for a report. */
  private static final int MAX_CAUSE_CHARS = 160;

  /**
   * The longest one PDF may take. A 0.8 MB file whose content stream inflates to ~290 MB of
   * operators kept a worker busy for a minute; past this it is skipped with its reason.
   */
  static final Duration TIME_LIMIT = Duration.ofSeconds(30);

  private final Duration timeLimit;
  private final LongSupplier nanoClock;

  PdfBoxExtractor() {
    this(TIME_LIMIT, System::nanoTime);
  }

  /** With another time limit, measured on {@code nanoClock} (tests pass a clock of their own). */
  PdfBoxExtractor(Duration timeLimit, LongSupplier nanoClock) {
    this.timeLimit = timeLimit;
    this.nanoClock = nanoClock;
  }

  private static final StreamCacheCreateFunction STREAM_CACHE =
      MemoryUsageSetting.setupMixed(MAX_MEMORY_BYTES_PER_DOCUMENT, MAX_BUFFER_BYTES_PER_DOCUMENT)
          .streamCache;

  @Override
  public Extraction extract(String relativePath, byte[] content) throws ExtractionException {
    if (content.length == 0) {
      return new Extraction.Skip(SkipReason.EMPTY);
    }
    if (!occursWithin(HEADER, content, 0, Math.min(content.length, MARKER_WINDOW_BYTES))) {
      throw new ExtractionException("corrupt PDF: not a PDF (no %PDF- header)");
    }
    // PDFBox rebuilds a truncated file from whatever objects survive, and would index part of it
    // as if it were whole. A file cut short (often one still being written or downloaded) is
    // reported instead; the next run reads it once it is complete.
    if (!occursWithin(
        END_OF_FILE, content, Math.max(0, content.length - MARKER_WINDOW_BYTES), content.length)) {
      throw new ExtractionException("corrupt PDF: truncated (no %%EOF marker at the end)");
    }
    long deadline = nanoClock.getAsLong() + timeLimit.toNanos();
    try (PDDocument document = Loader.loadPDF(content, "", null, null, STREAM_CACHE)) {
      if (!document.getCurrentAccessPermission().canExtractContent()) {
        throw new ExtractionException("PDF forbids text extraction");
      }
      return extractPages(document, new DeadlineStripper(deadline));
    } catch (TimeLimitReached e) {
      return new Extraction.Skip(SkipReason.TIME_LIMIT);
    } catch (InvalidPasswordException e) {
      throw new ExtractionException("encrypted PDF (password required)", e);
    } catch (IOException e) {
      throw new ExtractionException("corrupt PDF: " + shortCause(e), e);
    } catch (RuntimeException | StackOverflowError e) {
      // StackOverflowError too: PDFBox recurses through object graphs that a crafted file can nest
      // arbitrarily deep; the stack has unwound to here, so the thread is fine to carry on. The
      // type goes into the message: a bare "null" from a NullPointerException says nothing.
      throw new ExtractionException("corrupt PDF: " + typeAndShortCause(e), e);
    }
  }

  private static Extraction extractPages(PDDocument document, PDFTextStripper stripper)
      throws IOException {
    stripper.setLineSeparator("\n");
    // Page boundaries are ours to mark: no separators of PDFBox's own around pages.
    stripper.setPageStart("");
    stripper.setPageEnd("");
    int pages = document.getNumberOfPages();
    StringBuilder text = new StringBuilder();
    List<Integer> pageStartLines = new ArrayList<>(pages);
    int line = 1;
    boolean anyText = false;
    for (int page = 1; page <= pages; page++) {
      stripper.setStartPage(page);
      stripper.setEndPage(page);
      String pageText = normaliseLineEnds(stripper.getText(document)).stripTrailing();
      if (page > 1) {
        text.append('\n');
        line++;
      }
      pageStartLines.add(line);
      text.append(pageText);
      line += countLineFeeds(pageText);
      anyText |= !pageText.isBlank();
    }
    if (!anyText) {
      return new Extraction.Skip(SkipReason.NO_TEXT);
    }
    return new Extraction.Text(
        new ExtractedDocument(text.toString(), Languages.PDF, pageStartLines, Languages.PDF, 0));
  }

  /**
   * A text stripper that gives up once the deadline has passed: it looks at the clock before each
   * content stream operator, the unit of PDF work (a page can hold millions of them).
   */
  private final class DeadlineStripper extends PDFTextStripper {
    private final long deadline;

    DeadlineStripper(long deadline) {
      this.deadline = deadline;
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
      if (nanoClock.getAsLong() - deadline > 0) {
        throw new TimeLimitReached();
      }
      super.processOperator(operator, operands);
    }
  }

  /** Thrown through PDFBox when a document has taken its time; becomes a skip. */
  private static final class TimeLimitReached extends IOException {
    TimeLimitReached() {
      super("the PDF took longer than the time limit", null);
    }
  }

  /** PDF text can carry CR from the content itself, whatever line separator the stripper uses. */
  private static String normaliseLineEnds(String pageText) {
    if (pageText.indexOf('\r') < 0) {
      return pageText;
    }
    return pageText.replace("\r\n", "\n").replace('\r', '\n');
  }

  private static int countLineFeeds(String s) {
    int count = 0;
    for (int i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
      count++;
    }
    return count;
  }

  /** Whether {@code marker} occurs in {@code content} between {@code from} and {@code to}. */
  private static boolean occursWithin(byte[] marker, byte[] content, int from, int to) {
    for (int start = from; start + marker.length <= to; start++) {
      if (Arrays.equals(content, start, start + marker.length, marker, 0, marker.length)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String typeAndShortCause(Throwable e) {
    String type = e.getClass().getSimpleName();
    String cause = shortCause(e);
    return cause.equals(type) ? type : type + ": " + cause;
  }

  /** The throwable's message on one line, cut to a readable length, or its type if it has none. */
  private static String shortCause(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String oneLine = message.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_CAUSE_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_CAUSE_CHARS) + "...";
  }
}
