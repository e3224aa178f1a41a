package dev.quarry.cache;

import dev.quarry.fs.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * L2: vectors in a SQLite database on local disk (default {@code ~/.cache/quarry/embeddings.db}),
 * shared by every index and every Quarry process of the user, so deleting an index or switching
 * branches does not cost the embeddings again. WAL mode lets several processes read and write at
 * once (a writer waits up to {@link #BUSY_MILLIS} for another).
 *
 * <p>Bounded: past {@code maxBytes} the least recently used tenth goes. "Used" is kept to the hour,
 * so a hit costs a write only once an hour per vector. Vectors are little-endian float32.
 */
public final class DiskTier implements CacheTier {
  public static final long DEFAULT_MAX_BYTES = 2L << 30;
  static final int BUSY_MILLIS = 5000;

  /** SQLite's limit on parameters per statement is far higher; this keeps statements small. */
  private static final int KEYS_PER_QUERY = 500;

  private final Path file;
  private final long maxBytes;
  private final Clock clock;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private DiskTier(Path file, long maxBytes, Clock clock, Connection connection) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.connection = connection;
  }

  /** Opens (creating if needed) the store in {@code file}. */
  public static DiskTier open(Path file, long maxBytes) {
    return open(file, maxBytes, Clock.systemUTC());
  }

  static DiskTier open(Path file, long maxBytes, Clock clock) {
    try {
      prepareOwnerOnly(file.toAbsolutePath());
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA busy_timeout=" + BUSY_MILLIS);
        s.execute("PRAGMA auto_vacuum=INCREMENTAL"); // takes effect on a new database only
        s.execute("PRAGMA journal_mode=WAL");
        s.execute(
            "PRAGMA synchronous=NORMAL"); // a power cut may lose the last writes, never corrupt
        s.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, hash TEXT NOT NULL,"
                + " vector BLOB NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (model, hash)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS vectors_by_use ON vectors (used)");
        s.execute(
            "CREATE TABLE IF NOT EXISTS models (model TEXT PRIMARY KEY, id TEXT NOT NULL,"
                + " dimensions INTEGER NOT NULL)");
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return new DiskTier(file, maxBytes, clock, connection);
    } catch (SQLException | IOException e) {
      throw new CacheTierException(
          "cannot open the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The cache holds what was embedded of every indexed file, restricted ones included: its folder
   * is created 0700 and its database 0600 before SQLite opens it (SQLite would create it 0644, and
   * gives its journal files, {@code -wal} and {@code -shm}, the database's mode). A database an
   * older Quarry left open to others is made owner-only, with its journal files. A folder that
   * exists already is the user's and keeps its mode.
   */
  private static void prepareOwnerOnly(Path file) throws IOException {
    OwnerOnly.createFolder(file.getParent());
    if (OwnerOnly.createFile(file)) {
      return; // an empty file is an empty SQLite database
    }
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Path part = file.resolveSibling(file.getFileName() + suffix);
      try {
        if (Files.exists(part)) {
          OwnerOnly.restrict(part);
        }
      } catch (IOException e) {
        // Not ours to change (another user's cache, shared on purpose): SQLite opens it or says
        // why.
      }
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes) {
    Map<String, float[]> found = new HashMap<>();
    List<String> stale = new ArrayList<>();
    long hour = hour();
    List<String> hashes = List.copyOf(chunkHashes);
    return locked(
        () -> {
          for (int from = 0; from < hashes.size(); from += KEYS_PER_QUERY) {
            List<String> part =
                hashes.subList(from, Math.min(hashes.size(), from + KEYS_PER_QUERY));
            try (PreparedStatement q =
                connection.prepareStatement(
                    "SELECT hash, vector, used FROM vectors WHERE model = ? AND hash IN ("
                        + marks(part.size())
                        + ")")) {
              q.setString(1, model.fingerprint());
              for (int i = 0; i < part.size(); i++) {
                q.setString(i + 2, part.get(i));
              }
              try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                  float[] vector = decode(rows.getBytes(2), model.dimensions());
                  if (vector != null) {
                    found.put(rows.getString(1), vector);
                    if (rows.getLong(3) < hour) {
                      stale.add(rows.getString(1));
                    }
                  }
                }
              }
            }
          }
          touch(model, stale, hour);
          return found;
        });
  }

  private void touch(ModelKey model, List<String> hashes, long hour) throws SQLException {
    if (hashes.isEmpty()) {
      return;
    }
    try (PreparedStatement u =
        connection.prepareStatement("UPDATE vectors SET used = ? WHERE model = ? AND hash = ?")) {
      for (String hash : hashes) {
        u.setLong(1, hour);
        u.setString(2, model.fingerprint());
        u.setString(3, hash);
        u.addBatch();
      }
      u.executeBatch();
    }
  }

  @Override
  public void putAll(ModelKey model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    long hour = hour();
    locked(
        () -> {
          connection.setAutoCommit(false);
          try (PreparedStatement m =
                  connection.prepareStatement(
                      "INSERT OR IGNORE INTO models (model, id, dimensions) VALUES (?, ?, ?)");
              PreparedStatement p =
                  connection.prepareStatement(
                      "INSERT OR REPLACE INTO vectors (model, hash, vector, used) VALUES (?, ?, ?, ?)")) {
            m.setString(1, model.fingerprint());
            m.setString(2, model.modelId());
            m.setInt(3, model.dimensions());
            m.executeUpdate();
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
              if (e.getValue().length != model.dimensions()) {
                throw new IllegalArgumentException(
                    "a vector of "
                        + e.getValue().length
                        + " floats for a model of "
                        + model.dimensions());
              }
              p.setString(1, model.fingerprint());
              p.setString(2, e.getKey());
              p.setBytes(3, encode(e.getValue()));
              p.setLong(4, hour);
              p.addBatch();
            }
            p.executeBatch();
            connection.commit();
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
          return evictIfOver(maxBytes);
        });
  }

  /** Bytes the stored data takes (pages in use; the file may be larger until vacuumed). */
  public long bytesUsed() {
    return locked(
        () -> {
          try (Statement s = connection.createStatement()) {
            return usedBytes(s);
          }
        });
  }

  /** Entries per model identity. */
  public Map<String, Long> entriesByModel() {
    return locked(
        () -> {
          try (Statement s = connection.createStatement();
              ResultSet rows =
                  s.executeQuery(
                      "SELECT coalesce(m.id, v.model), count(*) FROM vectors v"
                          + " LEFT JOIN models m ON m.model = v.model GROUP BY v.model")) {
            Map<String, Long> out = new java.util.TreeMap<>();
            while (rows.next()) {
              out.put(rows.getString(1), rows.getLong(2));
            }
            return out;
          }
        });
  }

  /**
   * Removes least recently used entries until the data takes at most {@code bytes}, then gives the
   * freed pages back to the file system. Returns the entries removed.
   */
  public long evictIfOver(long bytes) {
    return locked(
        () -> {
          try (Statement s = connection.createStatement()) {
            long removed = 0;
            while (usedBytes(s) > bytes) {
              long count = longOf(s, "SELECT count(*) FROM vectors");
              if (count == 0) {
                break;
              }
              removed +=
                  s.executeUpdate(
                      "DELETE FROM vectors WHERE (model, hash) IN (SELECT model, hash FROM vectors"
                          + " ORDER BY used LIMIT "
                          + Math.max(1, count / 10)
                          + ")");
              s.execute("PRAGMA incremental_vacuum");
            }
            return removed;
          }
        });
  }

  /** Removes entries not used for {@code hours} hours. */
  public long pruneUnusedFor(long hours) {
    return locked(
        () -> {
          try (PreparedStatement d =
                  connection.prepareStatement("DELETE FROM vectors WHERE used < ?");
              Statement s = connection.createStatement()) {
            d.setLong(1, hour() - hours);
            long removed = d.executeUpdate();
            s.execute("PRAGMA incremental_vacuum");
            return removed;
          }
        });
  }

  /** Work on the connection: one caller at a time, SQLite's failures as the tier's. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private <T> T locked(SqlWork<T> work) {
    lock.lock();
    try {
      return work.run();
    } catch (SQLException e) {
      throw new CacheTierException("embedding cache " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static long usedBytes(Statement s) throws SQLException {
    return (longOf(s, "PRAGMA page_count") - longOf(s, "PRAGMA freelist_count"))
        * longOf(s, "PRAGMA page_size");
  }

  private static long longOf(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private long hour() {
    return clock.millis() / 3_600_000L;
  }

  private static String marks(int count) {
    return "?,".repeat(count - 1) + "?";
  }

  static byte[] encode(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  /**
   * The vector in {@code bytes}, or null when it is not one of {@code dimensions} finite floats.
   */
  static float[] decode(byte[] bytes, int dimensions) {
    if (bytes == null || bytes.length != 4 * dimensions) {
      return null;
    }
    float[] vector = new float[dimensions];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        return null;
      }
    }
    return vector;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing: nothing left to lose (every write was committed).
    }
  }
}
