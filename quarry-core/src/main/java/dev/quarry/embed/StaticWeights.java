package dev.quarry.embed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A static model's weights: one float16 row per vocabulary token it knows, as {@link
 * StaticModelDistiller} made them, and the file they are kept in.
 *
 * <p>File layout (big-endian): magic {@code QSTM}, format version, the teacher's identity and the
 * recipe version (UTF), row count, dimensions, the token ids (ascending), the rows (float16 bits),
 * then a CRC32 of everything before it. A file that is short, foreign or damaged fails to read with
 * an {@link IOException} naming it. Immutable.
 */
final class StaticWeights {
  private static final int MAGIC = 0x5153544d; // "QSTM"
  private static final int FORMAT = 1;

  private final String teacher;
  private final int recipe;
  private final int[] tokenIds;
  private final int dimensions;
  private final short[] halves;

  /**
   * @param teacher the identity of the model the rows were distilled from
   * @param recipe the distillation recipe's version
   * @param tokenIds the vocabulary ids the rows belong to, ascending
   * @param dimensions floats per row
   * @param halves the rows, row-major, as float16 bits; not copied
   */
  StaticWeights(String teacher, int recipe, int[] tokenIds, int dimensions, short[] halves) {
    if (halves.length != (long) tokenIds.length * dimensions) {
      throw new IllegalArgumentException(
          "expected " + tokenIds.length + " x " + dimensions + " values, got " + halves.length);
    }
    for (int i = 1; i < tokenIds.length; i++) {
      if (tokenIds[i] <= tokenIds[i - 1]) {
        throw new IllegalArgumentException("token ids must ascend, got " + tokenIds[i] + " late");
      }
    }
    this.teacher = teacher;
    this.recipe = recipe;
    this.tokenIds = tokenIds;
    this.dimensions = dimensions;
    this.halves = halves;
  }

  String teacher() {
    return teacher;
  }

  int recipe() {
    return recipe;
  }

  int rows() {
    return tokenIds.length;
  }

  int dimensions() {
    return dimensions;
  }

  int tokenId(int row) {
    return tokenIds[row];
  }

  /** Row {@code row} widened to floats. */
  float[] row(int row) {
    float[] out = new float[dimensions];
    for (int d = 0; d < dimensions; d++) {
      out[d] = Float.float16ToFloat(halves[row * dimensions + d]);
    }
    return out;
  }

  /** All rows widened to floats, row-major: what the model sums at inference. */
  float[] widened() {
    float[] out = new float[halves.length];
    for (int i = 0; i < halves.length; i++) {
      out[i] = Float.float16ToFloat(halves[i]);
    }
    return out;
  }

  /**
   * Writes the weights to {@code file} atomically: a temporary file in the same directory, forced
   * to disk, then renamed over {@code file}. A reader (another process building the same weights at
   * the same time included) sees the old file or the whole new one, never a part.
   */
  void writeAtomically(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
          OutputStream raw = java.nio.channels.Channels.newOutputStream(channel)) {
        CRC32 crc = new CRC32();
        DataOutputStream out =
            new DataOutputStream(
                new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(teacher);
        out.writeInt(recipe);
        out.writeInt(tokenIds.length);
        out.writeInt(dimensions);
        for (int id : tokenIds) {
          out.writeInt(id);
        }
        for (short half : halves) {
          out.writeShort(half);
        }
        out.flush();
        new DataOutputStream(raw).writeLong(crc.getValue());
        channel.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Reads weights written by {@link #writeAtomically}.
   *
   * @throws IOException naming {@code file} when it is missing, short, foreign or damaged
   */
  static StaticWeights read(Path file) throws IOException {
    try (var raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CRC32 crc = new CRC32();
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a Quarry static model file");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(file + " has format " + format + ", this Quarry reads " + FORMAT);
      }
      String teacher = in.readUTF();
      int recipe = in.readInt();
      int rows = in.readInt();
      int dimensions = in.readInt();
      if (rows < 0 || dimensions <= 0 || (long) rows * dimensions > Integer.MAX_VALUE) {
        throw new IOException(file + " declares " + rows + " x " + dimensions + " rows");
      }
      int[] ids = new int[rows];
      for (int i = 0; i < rows; i++) {
        ids[i] = in.readInt();
      }
      short[] halves = new short[rows * dimensions];
      for (int i = 0; i < halves.length; i++) {
        halves[i] = in.readShort();
      }
      long computed = crc.getValue();
      long stored = new DataInputStream(raw).readLong();
      if (computed != stored || raw.read() != -1) {
        throw new IOException(file + " is damaged (checksum or length mismatch)");
      }
      try {
        return new StaticWeights(teacher, recipe, ids, dimensions, halves);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " is damaged: " + e.getMessage(), e);
      }
    } catch (java.io.EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StaticWeights that
        && teacher.equals(that.teacher)
        && recipe == that.recipe
        && dimensions == that.dimensions
        && Arrays.equals(tokenIds, that.tokenIds)
        && Arrays.equals(halves, that.halves);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(halves);
  }
}
