/**
 * Extraction: a file's bytes to text. Encodings are detected (BOMs, UTF-8, UTF-16, a Windows-1252
 * fallback) and never fail; binary content is skipped; PDFs are read by PDFBox with page numbers.
 * {@link dev.quarry.extract.Extractors#standard()} picks the extractor by format.
 */
package dev.quarry.extract;
