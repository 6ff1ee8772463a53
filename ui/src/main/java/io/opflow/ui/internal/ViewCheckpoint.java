package io.opflow.ui.internal;

import io.opflow.ui.internal.ViewSnapshotCodec.Snapshot;
import io.opflow.ui.internal.ViewSnapshotCodec.TopicOffsets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's state directory: one gzipped JSON snapshot of the view with the offsets it was read up
 * to ({@link ViewSnapshotCodec}), replaced atomically (written beside it, synced, renamed over it),
 * so that a crash leaves the previous snapshot or the new one, never half of one; gzip's checksum
 * tells a damaged file. The directory is locked while the UI runs: two UIs sharing one would
 * overwrite each other's snapshot.
 */
public final class ViewCheckpoint implements AutoCloseable {
  static final String FILE_NAME = "ui-view.json.gz";
  private static final Logger LOG = LoggerFactory.getLogger(ViewCheckpoint.class);
  private static final int BUFFER = 1 << 16;

  private final Path dir;
  private final Path file;
  private final Path temp;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile Instant lastWritten;
  private boolean closed;

  private ViewCheckpoint(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.temp = dir.resolve(FILE_NAME + ".tmp");
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens a state directory, creating it if missing, and locks it.
   *
   * @throws IllegalStateException when another UI holds it
   * @throws UncheckedIOException when it cannot be created or locked
   */
  public static ViewCheckpoint open(Path dir) {
    Path absolute = dir.toAbsolutePath();
    FileChannel channel = null;
    try {
      Files.createDirectories(absolute);
      channel =
          FileChannel.open(
              absolute.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "another UI uses the state directory " + absolute + "; give each UI its own");
      }
      return new ViewCheckpoint(absolute, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(
          "cannot use " + absolute + " as the UI's state directory: " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      return null;
    }
  }

  /** Returns the directory. */
  public Path dir() {
    return dir;
  }

  /** Returns the snapshot's file. */
  public Path file() {
    return file;
  }

  /**
   * Reads the snapshot.
   *
   * @return it, or empty when there is none yet
   * @throws IOException when it is damaged, cut short or of another version
   */
  Optional<Snapshot> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in =
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER), BUFFER)) {
      Snapshot snapshot = ViewSnapshotCodec.read(in);
      // Reading to the end makes gzip check its CRC-32 and length.
      in.transferTo(OutputStream.nullOutputStream());
      return Optional.of(snapshot);
    }
  }

  /**
   * Writes a snapshot of {@code view}, read up to {@code topics}, in place of the previous one. A
   * failure is logged and counted, and leaves the previous snapshot as it was. Closing waits for a
   * write under way; after it, nothing is written.
   *
   * @return whether it was written
   */
  synchronized boolean write(RunsView view, List<TopicOffsets> topics) {
    if (closed) {
      return false;
    }
    Instant now = Instant.now();
    try {
      writeTemp(view, topics, now);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
      written.incrementAndGet();
      lastWritten = now;
      return true;
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn(
          "Could not write the UI's view snapshot to {}: {}; the previous one stays, and a restart"
              + " reads on from it",
          file,
          e.toString());
      return false;
    }
  }

  private void writeTemp(RunsView view, List<TopicOffsets> topics, Instant now) throws IOException {
    try (FileOutputStream out = new FileOutputStream(temp.toFile());
        GZIPOutputStream gzip = new FastGzip(new BufferedOutputStream(out, BUFFER))) {
      view.writeTo((runs, workers) -> ViewSnapshotCodec.write(gzip, now, topics, runs, workers));
      gzip.finish();
      gzip.flush();
      out.getFD().sync();
    }
  }

  // Makes the rename durable; some file systems cannot open a directory, and then it is skipped.
  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      LOG.debug("Cannot sync directory {}: {}", dir, notSupported.toString());
    }
  }

  /** Returns how many snapshots were written. */
  long written() {
    return written.get();
  }

  /** Returns how many snapshots could not be written. */
  long failed() {
    return failed.get();
  }

  /** Returns when the last snapshot was written, if one was. */
  Optional<Instant> lastWritten() {
    return Optional.ofNullable(lastWritten);
  }

  /** Releases the directory, once a snapshot being written is written. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("Cannot release the lock of {}: {}", dir, e.toString());
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Cannot close {}: {}", channel, e.toString());
    }
  }

  // Speed over size: the snapshot is written while the view is locked.
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, BUFFER);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
