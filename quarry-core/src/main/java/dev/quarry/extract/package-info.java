/**
 * Extraction: the pipeline stage that turns a file's bytes into text to chunk, or into a counted
 * reason not to index it.
 *
 * <p>{@link dev.quarry.extract.Extractors#standard()} is the entry point. For each file it returns
 * an {@link dev.quarry.extract.Extraction}: {@code Text} with an {@link
 * dev.quarry.extract.ExtractedDocument} (normalised text, language from {@link
 * dev.quarry.extract.Languages}, page start lines for PDFs, the charset used and how many byte
 * sequences could not be decoded), or {@code Skip} with a {@link dev.quarry.scan.SkipReason}
 * (empty, binary, PDF without text). Content of a file's format that cannot be read (corrupt or
 * encrypted PDF) throws {@link dev.quarry.extract.ExtractionException}; nothing else is thrown for
 * any input.
 *
 * <p>Text files are decoded whatever their encoding: byte order marks, BOM-less UTF-16, UTF-8 with
 * a few damaged bytes (replaced and counted), and windows-1252 as the fallback. Structure (Markdown
 * headings, code syntax) is the chunker's business, not this package's.
 */
package dev.quarry.extract;
