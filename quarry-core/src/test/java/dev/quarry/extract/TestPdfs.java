package dev.quarry.extract;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** PDFs written with PDFBox itself, so every test knows exactly what text each page holds. */
final class TestPdfs {

  private TestPdfs() {}

  /** A PDF with one page per element of {@code pages}, each page showing the given lines. */
  static byte[] withPages(List<List<String>> pages) {
    return write(document -> addTextPages(document, pages));
  }

  /** Like {@link #withPages}, encrypted with AES-256 under the given passwords and permissions. */
  static byte[] encrypted(
      List<List<String>> pages, String ownerPassword, String userPassword, boolean canExtract) {
    return write(
        document -> {
          addTextPages(document, pages);
          AccessPermission permission = new AccessPermission();
          permission.setCanExtractContent(canExtract);
          StandardProtectionPolicy policy =
              new StandardProtectionPolicy(ownerPassword, userPassword, permission);
          policy.setEncryptionKeyLength(256);
          document.protect(policy);
        });
  }

  /** A PDF whose pages are blank, or hold only an image: what a scanner without OCR writes. */
  static byte[] imageOnly() {
    return write(
        document -> {
          document.addPage(new PDPage(PDRectangle.A4));
          PDPage page = new PDPage(PDRectangle.A4);
          document.addPage(page);
          BufferedImage scan = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
          for (int x = 0; x < 64; x++) {
            scan.setRGB(x, x, 0xFFFFFF);
          }
          PDImageXObject image = LosslessFactory.createFromImage(document, scan);
          try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.drawImage(image, 72, 500, 256, 256);
          }
        });
  }

  private static void addTextPages(PDDocument document, List<List<String>> pages)
      throws IOException {
    PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    for (List<String> lines : pages) {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      if (lines.isEmpty()) {
        continue;
      }
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.beginText();
        content.setFont(helvetica, 12);
        content.setLeading(16);
        content.newLineAtOffset(72, 760);
        for (String line : lines) {
          content.showText(line);
          content.newLine();
        }
        content.endText();
      }
    }
  }

  private interface Builder {
    void build(PDDocument document) throws IOException;
  }

  private static byte[] write(Builder builder) {
    try (PDDocument document = new PDDocument()) {
      builder.build(document);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
