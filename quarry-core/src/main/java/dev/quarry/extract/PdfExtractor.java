package dev.quarry.extract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import dev.quarry.scan.SkipReason;

/**
 * PDF text through PDFBox, page by page so every line knows its page. PDFBox buffers streams in
 * temporary files rather than the heap, so one large PDF cannot exhaust memory.
 *
 * <p>Documents that open without a password are read even when their owner restricts copying: the
 * user indexes their own files. Documents that need a password are a failure, as are corrupt ones.
 */
final class PdfExtractor implements Extractor {
  @Override
  public Extraction extract(String relativePath, byte[] content) throws ExtractionException {
    try (PDDocument document = Loader.loadPDF(content, "", null, null, IOUtils.createTempFileOnlyStreamCache())) {
      return extract(document);
    } catch (InvalidPasswordException e) {
      throw new ExtractionException("encrypted PDF: a password is required to open it", e);
    } catch (IOException e) {
      throw new ExtractionException("corrupt PDF: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // PDFBox signals some malformed structures with unchecked exceptions.
      throw new ExtractionException("corrupt PDF: " + e, e);
    }
  }

  private static Extraction extract(PDDocument document) throws IOException {
    PDFTextStripper stripper = new PDFTextStripper();
    stripper.setLineSeparator("\n");
    StringBuilder text = new StringBuilder();
    List<Integer> pageStartLines = new ArrayList<>();
    int line = 1;
    boolean anyText = false;
    for (int page = 1; page <= document.getNumberOfPages(); page++) {
      stripper.setStartPage(page);
      stripper.setEndPage(page);
      String pageText = stripper.getText(document).replace("\r\n", "\n").replace('\r', '\n');
      if (!pageText.isBlank()) {
        anyText = true;
      }
      if (!pageText.endsWith("\n")) {
        pageText += "\n";
      }
      pageStartLines.add(line);
      text.append(pageText);
      line += countNewlines(pageText);
    }
    if (!anyText) {
      return new Extraction.Skip(SkipReason.NO_TEXT);
    }
    return new Extraction.Text(new ExtractedDocument(text.toString(), Languages.PDF, pageStartLines, "pdf", 0));
  }

  private static int countNewlines(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
