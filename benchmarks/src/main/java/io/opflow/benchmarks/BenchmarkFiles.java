package io.opflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** Where the benchmark writes its files: the build's {@code benchmarks/target} directory. */
final class BenchmarkFiles {
  private BenchmarkFiles() {}

  /**
   * Returns the directory that holds the benchmark's jar ({@code benchmarks/target}), or the parent
   * of its classes directory; the working directory when neither can be found.
   *
   * @return an existing directory
   */
  static Path target() {
    CodeSource source = BenchmarkFiles.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Path.of(".");
    }
    try {
      Path code = Path.of(source.getLocation().toURI());
      return code.getParent() != null ? code.getParent() : Path.of(".");
    } catch (URISyntaxException e) {
      return Path.of(".");
    }
  }

  /**
   * Returns a directory under {@link #target()}, created if missing.
   *
   * @param name the directory's name
   * @return the directory
   */
  static Path directory(String name) {
    Path dir = target().resolve(name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
